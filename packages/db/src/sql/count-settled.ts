import type { Tx } from '../client.ts';

/** Counts one more settled receipt on a locked auction, when nothing else of the row moved. */
export function countSettled(tx: Tx, auctionId: string) {
  return tx`update auctions set settled_count = settled_count + 1 where id = ${auctionId}`;
}
