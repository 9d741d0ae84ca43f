import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { auctions, watches } from '../schema.ts';

export interface WatchRow {
  readonly auctionId: string;
  readonly alertPrice: number | null;
  /** Epoch ms. */
  readonly createdAt: number;
}

export interface WatchRequest {
  readonly memberId: string;
  readonly auctionId: string;
  readonly alertPrice: number | null;
  /** The caller's clock, epoch ms: when a new watch was made (kept when an existing one is changed). */
  readonly now: number;
}

/**
 * Watches an auction, or changes the alert price of a watch the member already has (its
 * created_at stays: auction_starting goes by when the member first watched). Writes only while
 * the auction is live, in the same statement that checks it, so a watch never outlives a
 * withdrawal it raced with; undefined when the auction is unknown or withdrawn.
 */
export async function upsertWatch(db: Db, request: WatchRequest): Promise<WatchRow | undefined> {
  const { memberId, auctionId, alertPrice, now } = request;
  const rows = await db.execute<{ auctionId: string; alertPrice: number | null; createdAt: string }>(sql`
    insert into ${watches} (member_id, auction_id, alert_price, created_at)
    select ${memberId}::uuid, ${auctions.id}, ${alertPrice}::int4, ${new Date(now).toISOString()}::timestamptz
    from ${auctions}
    where ${auctions.id} = ${auctionId}::uuid and ${auctions.deletedAt} is null
    on conflict (member_id, auction_id) do update set alert_price = excluded.alert_price
    returning auction_id as "auctionId", alert_price as "alertPrice",
              (extract(epoch from created_at) * 1000)::int8 as "createdAt"`);
  const [row] = rows;
  return row === undefined ? undefined : { ...row, createdAt: Number(row.createdAt) };
}
