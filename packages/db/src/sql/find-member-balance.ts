import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { members } from '../schema.ts';

export interface MemberBalance {
  readonly points: number;
  readonly heldPoints: number;
}

/**
 * A member's free and held points, read `for share` as findToken reads them: a credit whose
 * transaction is still open is waited for, so the read either includes it or was issued before
 * it was published (see the gateway's points-bounds.ts). Undefined for an unknown member.
 */
export async function findMemberBalance(db: Db, memberId: string): Promise<MemberBalance | undefined> {
  const [row] = await db
    .select({ points: members.points, heldPoints: members.heldPoints })
    .from(members)
    .where(eq(members.id, memberId))
    .for('share');
  return row;
}
