import { inArray } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { members } from '../schema.ts';

export interface MemberBalance {
  readonly points: number;
  readonly heldPoints: number;
}

/**
 * Members' free and held points, read `for share` as findToken reads them: a credit whose
 * transaction is still open is waited for, so the read either includes it or was issued before
 * it was published (see the gateway's points-bounds.ts). Several members in one statement (the
 * gateway confirms a turn's refusals together), locked in id order, the order settlement locks
 * members in (lockMembers), so the two never wait on each other in a cycle. Unknown members are
 * absent from the map.
 */
export async function findMemberBalances(db: Db, memberIds: readonly string[]): Promise<Map<string, MemberBalance>> {
  const rows = await db
    .select({ id: members.id, points: members.points, heldPoints: members.heldPoints })
    .from(members)
    .where(inArray(members.id, [...new Set(memberIds)]))
    .orderBy(members.id)
    .for('share');
  return new Map(rows.map((row) => [row.id, { points: row.points, heldPoints: row.heldPoints }]));
}
