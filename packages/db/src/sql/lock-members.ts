import type { Tx } from '../client.ts';

/** Locks member rows in id order, so transactions touching the same members never deadlock. Id -> points. */
export async function lockMembers(tx: Tx, memberIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await tx<{ id: string; points: number }[]>`
    select id, points from members where id = any(${[...new Set(memberIds)]}::uuid[]) order by id for update`;
  return new Map(rows.map((r) => [r.id, r.points]));
}
