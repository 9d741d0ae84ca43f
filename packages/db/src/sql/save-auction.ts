import type { Tx } from '../client.ts';

/** Writes back the stock and settlement count a run moved on a locked auction. */
export function saveAuction(
  tx: Tx,
  auction: { readonly id: string; readonly stock: number; readonly settledCount: number },
) {
  return tx`update auctions set stock = ${auction.stock}, settled_count = ${auction.settledCount} where id = ${auction.id}`;
}
