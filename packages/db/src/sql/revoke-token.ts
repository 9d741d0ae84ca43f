import { eq } from 'drizzle-orm';
import { memberTokens } from '../schema.ts';
import type { DbTx } from './lock-auction-row.ts';

/** Marks a token revoked at `now` (epoch ms); it answers 401 from then on. */
export async function revokeToken(tx: DbTx, tokenId: string, now: number): Promise<void> {
  await tx.update(memberTokens).set({ revokedAt: now }).where(eq(memberTokens.id, tokenId));
}
