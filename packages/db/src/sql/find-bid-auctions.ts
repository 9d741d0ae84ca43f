import { AUCTION_TERMS_COLUMNS, type AuctionTermsRow } from '../auction-terms.ts';
import type { Sql } from '../client.ts';
import { auctionNotDeleted } from './not-deleted.ts';

/** What the bid path admits against: the terms (times in epoch ms), the stock and whether it is shown. */
export interface BidAuctionRow extends AuctionTermsRow {
  readonly id: string;
  readonly stock: number;
  readonly showStock: boolean;
}

/** The auction for the bid path, or undefined when it does not exist or was withdrawn. */
export async function findBidAuction(sql: Sql, id: string): Promise<BidAuctionRow | undefined> {
  const [row] = await sql<BidAuctionRow[]>`
    select id, ${sql.unsafe(AUCTION_TERMS_COLUMNS)}, stock, show_stock as "showStock"
    from auctions where id = ${id} and ${auctionNotDeleted(sql)}`;
  return row;
}

/** Every auction that can still take bids, to warm the bid path's cache. */
export function loadOpenAuctions(sql: Sql) {
  return sql<BidAuctionRow[]>`
    select id, ${sql.unsafe(AUCTION_TERMS_COLUMNS)}, stock, show_stock as "showStock"
    from auctions where ${auctionNotDeleted(sql)} and ends_at > now()`;
}
