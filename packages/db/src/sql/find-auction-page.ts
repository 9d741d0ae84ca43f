import type { AuctionFormat, AuctionStatus } from '@dutch/domain';
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import { currentPriceAt, hasStatusAt } from '../auction-sql.ts';
import type { Db } from '../client.ts';
import { auctions } from '../schema.ts';
import { isAuctionLive } from './not-deleted.ts';

export interface AuctionPageRequest {
  /** Sort by the price at asOf, or else by the start (epoch ms). */
  readonly byPrice: boolean;
  readonly descending: boolean;
  /** The instant prices and statuses are computed at: one page after another sees one snapshot. */
  readonly asOf: number;
  readonly status: AuctionStatus | undefined;
  /** Only auctions of this format; absent or undefined: both. */
  readonly format?: AuctionFormat | undefined;
  /** Only auctions past this (key, id) in the sort order. */
  readonly after: { readonly key: number; readonly id: string } | null;
  readonly limit: number;
}

export interface AuctionPageRow {
  readonly row: typeof auctions.$inferSelect;
  /**
   * The sort key: the price at asOf (English: the high bid, else the start price) or the start
   * in epoch ms, for the next cursor.
   */
  readonly key: number;
}

/**
 * Auctions not withdrawn, keyset-paged on (key, id). Reads one more than the limit: the caller
 * tells from it whether a next page exists.
 */
export async function findAuctionPage(db: Db, request: AuctionPageRequest): Promise<AuctionPageRow[]> {
  const { after, asOf, descending } = request;
  const key: SQL<number> = request.byPrice
    ? currentPriceAt(asOf)
    : sql<number>`(extract(epoch from ${auctions.startsAt}) * 1000)::int8`;
  const conditions: SQL[] = [isAuctionLive()];
  if (request.status !== undefined) conditions.push(hasStatusAt(request.status, asOf));
  if (request.format !== undefined) conditions.push(eq(auctions.format, request.format) as SQL);
  if (after !== null) {
    conditions.push(
      descending
        ? sql`(${key}, ${auctions.id}) < (${after.key}, ${after.id}::uuid)`
        : sql`(${key}, ${auctions.id}) > (${after.key}, ${after.id}::uuid)`,
    );
  }
  const rows = await db
    .select({ row: auctions, key })
    .from(auctions)
    .where(and(...conditions))
    .orderBy(descending ? desc(key) : asc(key), descending ? desc(auctions.id) : asc(auctions.id))
    .limit(request.limit + 1);
  return rows.map(({ row, key }) => ({ row, key: Number(key) }));
}
