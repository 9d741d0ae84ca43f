import { isNull, type SQL } from 'drizzle-orm';
import type { Sql, Tx } from '../client.ts';
import { auctions } from '../schema.ts';

/**
 * The one "not withdrawn" condition on auctions: a deleted auction keeps its row (receipts
 * still point at it) but is gone for every reader. Raw queries take the postgres.js fragment
 * (no string is ever spliced into SQL), drizzle the SQL.
 */
export function auctionNotDeleted(sql: Sql | Tx) {
  return sql`deleted_at is null`;
}

export function isAuctionLive(): SQL {
  return isNull(auctions.deletedAt) as SQL;
}
