import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { auctions, watches } from '../schema.ts';
import { isAuctionLive } from './not-deleted.ts';
import type { WatchRow } from './upsert-watch.ts';

export interface WatchPageRequest {
  /** Only watches before this (createdAt epoch ms, auctionId), newest first. */
  readonly before: { readonly at: number; readonly auctionId: string } | null;
  readonly limit: number;
}

/** A watch with its auction's whole row (what findAuction reads), for the auction's view. */
export interface WatchPageRow extends WatchRow {
  readonly auction: typeof auctions.$inferSelect;
}

/**
 * A member's watches of live auctions, newest first, keyset-paged on (createdAt, auctionId). A
 * withdrawn auction's watch is left out, as the auction is gone for every reader. A member's
 * watches are few, so the primary key's member prefix is all the index this needs. Reads one
 * more than the limit: the caller tells from it whether a next page exists.
 */
export async function findWatchPage(db: Db, memberId: string, request: WatchPageRequest): Promise<WatchPageRow[]> {
  const conditions: SQL[] = [eq(watches.memberId, memberId) as SQL, isAuctionLive()];
  const { before } = request;
  if (before !== null) {
    conditions.push(
      sql`(${watches.createdAt}, ${watches.auctionId}) < (${new Date(before.at).toISOString()}::timestamptz, ${before.auctionId}::uuid)`,
    );
  }
  return db
    .select({
      auctionId: watches.auctionId,
      alertPrice: watches.alertPrice,
      createdAt: watches.createdAt,
      auction: auctions,
    })
    .from(watches)
    .innerJoin(auctions, eq(auctions.id, watches.auctionId))
    .where(and(...conditions))
    .orderBy(desc(watches.createdAt), desc(watches.auctionId))
    .limit(request.limit + 1);
}
