/**
 * What the watchers scenario reads back from Postgres: the auction's watches, every notification
 * of its watchers, and, while it waits, how many price_alerts of the auction are visible.
 */
import { epochMs, type Sql } from '@dutch/db';
import type { StoredNotification, StoredWatch } from './verify-watchers.ts';

/** The highest notification id so far (0 when none): alerts stored after it have larger ids. */
export async function lastNotificationId(sql: Sql): Promise<string> {
  const [row] = await sql<{ id: string }[]>`select coalesce(max(id), 0)::text as id from notifications`;
  return row?.id ?? '0';
}

/**
 * The auction's price_alerts committed so far with ids above `afterId`: a range of the primary
 * key, so polling it every few milliseconds stays cheap however many notifications earlier
 * scenarios stored (there is no index on auction_id, and none is needed by the app).
 */
export async function countAlertsAfter(sql: Sql, auctionId: string, afterId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from notifications
    where id > ${afterId}::int8 and kind = 'price_alert' and auction_id = ${auctionId}`;
  return row?.n ?? 0;
}

export async function watchesOf(sql: Sql, auctionId: string): Promise<StoredWatch[]> {
  return sql<StoredWatch[]>`
    select member_id as "memberId", alert_price as "alertPrice" from watches where auction_id = ${auctionId}`;
}

/** Every notification of these members, of any kind and auction, oldest first. */
export async function notificationsOf(sql: Sql, memberIds: readonly string[]): Promise<StoredNotification[]> {
  return sql<StoredNotification[]>`
    select id::text as id, member_id as "memberId", kind, auction_id as "auctionId", dedupe_key as "dedupeKey",
           ${sql.unsafe(epochMs('created_at'))} as "createdAt", data
    from notifications where member_id = any(${[...memberIds]}::uuid[])
    order by id`;
}
