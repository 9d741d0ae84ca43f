import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { members } from '../schema.ts';
import { preparedPerDb } from './prepared-per-db.ts';

export interface MemberBalance {
  readonly points: number;
  readonly heldPoints: number;
}

/** Built once per database handle: the gateway reads this on every refusal it confirms, where building the query each time showed. */
const prepared = preparedPerDb((db) =>
  db
    .select({ points: members.points, heldPoints: members.heldPoints })
    .from(members)
    .where(eq(members.id, sql.placeholder('memberId')))
    .for('share')
    .prepare('find_member_balance'),
);

/**
 * A member's free and held points, read `for share` as findToken reads them: a credit whose
 * transaction is still open is waited for, so the read either includes it or was issued before
 * it was published (see the gateway's points-bounds.ts). Undefined for an unknown member.
 */
export async function findMemberBalance(db: Db, memberId: string): Promise<MemberBalance | undefined> {
  const [row] = await prepared(db).execute({ memberId });
  return row;
}
