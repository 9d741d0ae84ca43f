import type { Tx } from '../client.ts';

/**
 * The next settlement number of an auction whose row is gone, so there is no row to lock:
 * writers of this auction id are serialised with a transaction advisory lock instead.
 */
export async function nextSettleSeqOfGoneAuction(tx: Tx, auctionId: string): Promise<number> {
  await tx`select pg_advisory_xact_lock(hashtext(${auctionId}))`;
  const [last] = await tx<{ seq: number }[]>`
    select coalesce(max(settle_seq), 0)::int8 as seq from receipts where auction_id = ${auctionId}`;
  return Number(last?.seq ?? 0) + 1;
}
