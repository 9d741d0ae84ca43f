import type { Sql } from '@dutch/db';
import {
  type ChannelEvent,
  CONSUMER_GROUP,
  decodeMessage,
  type StreamMessage,
  shardOf,
  streamKey,
} from '@dutch/stream';
import type { CloseFixture } from './close-fixtures.test-util.ts';
import type { Delivered } from './delivered.ts';
import { settleAuction } from './settle-auction.ts';
import { readNew } from './stream-io.ts';

export interface StoredNotification {
  readonly memberId: string;
  readonly kind: string;
  readonly auctionId: string;
  readonly receiptId: string | null;
  readonly dedupeKey: string;
  readonly data: Record<string, unknown>;
}

/** Every stored notification, in a stable order (member, dedupe key). */
export function storedNotifications(sql: Sql): Promise<StoredNotification[]> {
  return sql<StoredNotification[]>`
    select member_id as "memberId", kind, auction_id as "auctionId", receipt_id as "receiptId",
           dedupe_key as "dedupeKey", data
    from notifications order by member_id, dedupe_key`;
}

/** `member dedupeKey` per stored notification, sorted: what exactly-once is compared on. */
export async function notificationKeys(sql: Sql): Promise<string[]> {
  return (await storedNotifications(sql)).map((n) => `${n.memberId} ${n.dedupeKey}`).sort();
}

/** Watches written directly, each made at `createdAt` (epoch ms). */
export async function watch(
  sql: Sql,
  memberIds: readonly string[],
  auctionId: string,
  alertPrice: number | null,
  createdAt: number,
): Promise<void> {
  await sql`
    insert into watches (member_id, auction_id, alert_price, created_at)
    select m, ${auctionId}::uuid, ${alertPrice}::int4, ${new Date(createdAt).toISOString()}::timestamptz
    from unnest(${[...memberIds]}::uuid[]) as t(m)`;
}

/** Every member id named by the notify events seen, in order (a member may be named by several events). */
export function notifiedMembers(events: readonly ChannelEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'notify' ? [...e.memberIds] : []));
}

/**
 * A "ghost" consumer: reads every new entry of these auctions' shards and commits their
 * settlement at `at`, then vanishes without acknowledging anything, as a consumer killed
 * between its commit and its XACK would. The entries stay pending for the next owner.
 */
export async function settleAsGhost(f: CloseFixture, auctionIds: readonly string[], at: number): Promise<void> {
  const keys = [...new Set(auctionIds.map((id) => streamKey(f.layout, shardOf(id, f.layout.shards))))];
  const delivered: Delivered[] = [];
  for (const key of keys) {
    await f.redis.xgroup('CREATE', key, CONSUMER_GROUP, '0', 'MKSTREAM').catch(() => 'BUSYGROUP');
    for (const entry of await readNew(f.redis, key, 'ghost', 1_000, 0)) {
      const decoded = decodeMessage(entry.fields ?? []);
      if (decoded.ok) delivered.push({ streamId: entry.id, message: decoded.message as StreamMessage });
    }
  }
  for (const id of auctionIds) {
    const own = delivered.filter((d) => d.message.auctionId === id);
    if (own.length > 0) await settleAuction(f.db.sql, id, own, null, at, null);
  }
}
