import { AUCTION_TERMS_COLUMNS, type AuctionTermsRow, type EnglishLeadRow } from '../auction-terms.ts';
import type { Sql } from '../client.ts';
import { auctionNotDeleted } from './not-deleted.ts';

/**
 * What the bid path admits against, for either format (formatTermsOf() reads its terms, and the
 * English lead): times in epoch ms, the stock and whether it is shown, and when it closed.
 */
export interface BidAuctionRow extends AuctionTermsRow, EnglishLeadRow {
  readonly id: string;
  readonly stock: number;
  readonly showStock: boolean;
  /** Epoch ms, null while open. */
  readonly closedAt: number | null;
}

/** The auction for the bid path, or undefined when it does not exist or was withdrawn. */
export async function findBidAuction(sql: Sql, id: string): Promise<BidAuctionRow | undefined> {
  const [row] = await sql<BidAuctionRow[]>`
    select id, ${sql.unsafe(AUCTION_TERMS_COLUMNS)}, stock, show_stock as "showStock"
    from auctions where id = ${id} and ${auctionNotDeleted(sql)}`;
  return row;
}

/** Every auction that can still take bids (by its current end), to warm the bid path's cache. */
export function loadOpenAuctions(sql: Sql) {
  return sql<BidAuctionRow[]>`
    select id, ${sql.unsafe(AUCTION_TERMS_COLUMNS)}, stock, show_stock as "showStock"
    from auctions where ${auctionNotDeleted(sql)} and ends_at > now()`;
}
