import type { Tx } from '../client.ts';

/**
 * The auction's title, for the words of the notifications a settlement stores (the domain's
 * builders put it in their data). Read in the settlement's transaction, pipelined behind the row
 * lock, so it is the title as of the decision. Null for an auction that does not exist.
 */
export async function findAuctionTitle(tx: Tx, auctionId: string): Promise<string | null> {
  const [row] = await tx<{ title: string }[]>`select title from auctions where id = ${auctionId}`;
  return row?.title ?? null;
}
