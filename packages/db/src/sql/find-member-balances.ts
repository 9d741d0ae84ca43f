import type { Sql } from '../client.ts';

export interface MemberBalance {
  readonly points: number;
  readonly heldPoints: number;
}

/**
 * Members' free and held points, several in one statement (the gateway confirms a turn's
 * refusals together). A plain read that waits for no writer, so a refusal's confirmation never
 * queues behind a settlement holding the member's row: why that is enough is in the gateway's
 * points-bounds.ts. Unknown members are absent from the map.
 */
export async function findMemberBalances(sql: Sql, memberIds: readonly string[]): Promise<Map<string, MemberBalance>> {
  const rows = await sql<(MemberBalance & { id: string })[]>`
    select id, points, held_points as "heldPoints" from members where id = any(${[...memberIds]}::uuid[])`;
  return new Map(rows.map(({ id, points, heldPoints }) => [id, { points, heldPoints }]));
}
