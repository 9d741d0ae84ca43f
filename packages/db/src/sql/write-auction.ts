import type { AuctionDraft } from '@dutch/domain';
import { eq } from 'drizzle-orm';
import { auctionValues } from '../auction-values.ts';
import { auctions } from '../schema.ts';
import type { DbTx } from './lock-auction-row.ts';

type AuctionRow = typeof auctions.$inferSelect;

/** Inserts a validated auction with its price steps; the row as stored. */
export async function insertAuction(tx: DbTx, id: string, sellerId: string, draft: AuctionDraft): Promise<AuctionRow> {
  const [row] = await tx
    .insert(auctions)
    .values(auctionValues(id, sellerId, draft))
    .returning();
  if (row === undefined) throw new Error('auction insert returned nothing');
  return row;
}

/** Rewrites a locked auction's definition from a validated draft (stock and price steps included). */
export async function updateAuction(
  tx: DbTx,
  id: string,
  sellerId: string,
  draft: AuctionDraft,
  now: number,
): Promise<AuctionRow | undefined> {
  const { id: _id, sellerId: _seller, ...values } = auctionValues(id, sellerId, draft);
  const [row] = await tx
    .update(auctions)
    .set({ ...values, updatedAt: now })
    .where(eq(auctions.id, id))
    .returning();
  return row;
}

/** Withdraws an auction: the row stays (receipts may name it) but is deleted for every reader. */
export async function withdrawAuction(tx: DbTx, id: string, now: number): Promise<void> {
  await tx.update(auctions).set({ deletedAt: now, updatedAt: now }).where(eq(auctions.id, id));
}
