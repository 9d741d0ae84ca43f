import type { AuctionDraft, EnglishDraft } from '@dutch/domain';
import { eq } from 'drizzle-orm';
import { auctionValues, englishAuctionValues } from '../auction-values.ts';
import { auctions } from '../schema.ts';
import type { DbTx } from './lock-auction-row.ts';

type AuctionRow = typeof auctions.$inferSelect;
type AuctionInsert = typeof auctions.$inferInsert;

/** Inserts a validated Dutch auction with its price steps; the row as stored. */
export function insertAuction(tx: DbTx, id: string, sellerId: string, draft: AuctionDraft): Promise<AuctionRow> {
  return insertRow(tx, auctionValues(id, sellerId, draft));
}

/** Inserts a validated English auction (one lot, no lead yet); the row as stored. */
export function insertEnglishAuction(tx: DbTx, id: string, sellerId: string, draft: EnglishDraft): Promise<AuctionRow> {
  return insertRow(tx, englishAuctionValues(id, sellerId, draft));
}

/** Rewrites a locked Dutch auction's definition from a validated draft (stock and price steps included). */
export function updateAuction(
  tx: DbTx,
  id: string,
  sellerId: string,
  draft: AuctionDraft,
  now: number,
): Promise<AuctionRow | undefined> {
  return updateRow(tx, auctionValues(id, sellerId, draft), now);
}

/**
 * Rewrites a locked English auction's definition from a validated draft. Only while scheduled
 * (the caller checks): there is no lead yet, so the end written is the scheduled one.
 */
export function updateEnglishAuction(
  tx: DbTx,
  id: string,
  sellerId: string,
  draft: EnglishDraft,
  now: number,
): Promise<AuctionRow | undefined> {
  return updateRow(tx, englishAuctionValues(id, sellerId, draft), now);
}

/** Withdraws an auction: the row stays (receipts may name it) but is deleted for every reader. */
export async function withdrawAuction(tx: DbTx, id: string, now: number): Promise<void> {
  await tx.update(auctions).set({ deletedAt: now, updatedAt: now }).where(eq(auctions.id, id));
}

async function insertRow(tx: DbTx, values: AuctionInsert): Promise<AuctionRow> {
  const [row] = await tx.insert(auctions).values(values).returning();
  if (row === undefined) throw new Error('auction insert returned nothing');
  return row;
}

async function updateRow(tx: DbTx, values: AuctionInsert, now: number): Promise<AuctionRow | undefined> {
  // The format never changes (the row's columns are checked against it): only the definition does.
  const { id, sellerId: _seller, format: _format, ...definition } = values;
  const [row] = await tx
    .update(auctions)
    .set({ ...definition, updatedAt: now })
    .where(eq(auctions.id, id))
    .returning();
  return row;
}
