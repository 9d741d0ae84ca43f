import { isNull, type SQL } from 'drizzle-orm';
import { auctions } from '../schema.ts';

/**
 * The one "not withdrawn" condition on auctions: a deleted auction keeps its row (receipts
 * still point at it) but is gone for every reader. Raw SQL takes the text, drizzle the SQL.
 */
export const AUCTION_NOT_DELETED = 'deleted_at is null';

export function isAuctionLive(): SQL {
  return isNull(auctions.deletedAt) as SQL;
}
