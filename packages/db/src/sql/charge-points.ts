import { eq, sql } from 'drizzle-orm';
import { members, pointsLedger } from '../schema.ts';
import type { DbTx } from './lock-auction-row.ts';

/**
 * Adds charged points to a member, locking the row; the balance after, or undefined for no
 * such member. Two steps with appendCharge, so the caller can announce the credit in between,
 * while the row is locked and before the commit.
 */
export async function addPoints(tx: DbTx, memberId: string, amount: number): Promise<number | undefined> {
  const [row] = await tx
    .update(members)
    .set({ points: sql`${members.points} + ${amount}` })
    .where(eq(members.id, memberId))
    .returning({ points: members.points });
  return row?.points;
}

/** The ledger's record of a charge: points that came from outside. */
export async function appendCharge(tx: DbTx, memberId: string, amount: number): Promise<void> {
  await tx.insert(pointsLedger).values({ kind: 'charge', toMember: memberId, amount });
}
