import { ENDING_SOON_MS, type WatchAlertKind } from '@dutch/domain';
import { and, gt, lte, type SQL, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { currentPriceAt, hasStatusAt } from '../auction-sql.ts';
import type { Db, Sql } from '../client.ts';
import { auctions, notifications, watches } from '../schema.ts';
import type { InsertedNotification } from './insert-notifications.ts';

/** drizzle over the caller's postgres.js client, made once per client: it only renders and sends. */
const wrapped = new WeakMap<Sql, Db>();
function drizzleOf(client: Sql): Db {
  let db = wrapped.get(client);
  if (db === undefined) {
    db = drizzle(client) as unknown as Db;
    wrapped.set(client, db);
  }
  return db;
}

const kind = (value: WatchAlertKind) => sql`${value}::text`;
const epochMsOf = (column: SQL | typeof auctions.endsAt) => sql`(extract(epoch from ${column}) * 1000)::int8`;

/**
 * Stores every time-driven alert due at `now` (epoch ms) for every watch, in ONE statement
 * whatever the number of watchers, mirroring the domain's dueWatchAlerts() (tested against it):
 * - auction_starting: the watch was made before the start, and the auction has started, not ended;
 * - price_alert: Dutch, running, alert_price set, the price at `now` (currentPriceAt, the list
 *   sort's expression over price_steps) at or below it;
 * - ending_soon: English, running, `now` >= current end - ENDING_SOON_MS.
 * Only auctions neither closed nor withdrawn that have started and not ended are read, by the
 * closer's index (auctions_unclosed_idx on ends_at), and their watchers by watches_auction_idx.
 * Dedupe keys are `<kind>:<auctionId>`: an alert already stored is filtered out first (the
 * unique index's lookup) and `on conflict do nothing` settles a race with another consumer, so
 * any number of processes may run this at once. `data` is what describeNotification reads:
 * {title}, {title, price, alertPrice}, {title, endsAt}. Returns the rows written.
 */
export async function insertDueWatchNotifications(client: Sql, now: number): Promise<InsertedNotification[]> {
  const live = and(
    sql`${auctions.closedAt} is null and ${auctions.deletedAt} is null`,
    lte(auctions.startsAt, now),
    gt(auctions.endsAt, now),
  );
  const running = hasStatusAt('running', now);
  const result = await drizzleOf(client).execute<{ id: number; memberId: string }>(sql`
    with open_auctions as materialized (
      select ${auctions.id} as id, ${auctions.title} as title, ${auctions.format} as format,
             ${auctions.startsAt} as starts_at, ${epochMsOf(auctions.endsAt)} as ends_ms,
             ${running} as running, ${currentPriceAt(now)} as price
      from ${auctions}
      where ${live}
    ), starting as (
      select w.member_id, ${kind('auction_starting')} as kind, a.id as auction_id,
             jsonb_build_object('title', a.title) as data
      from open_auctions a join ${watches} w on w.auction_id = a.id
      where w.created_at < a.starts_at
    ), price_alerts as (
      select w.member_id, ${kind('price_alert')} as kind, a.id as auction_id,
             jsonb_build_object('title', a.title, 'price', a.price, 'alertPrice', w.alert_price) as data
      from open_auctions a join ${watches} w on w.auction_id = a.id
      where a.format = 'dutch' and a.running and w.alert_price is not null and a.price <= w.alert_price
    ), ending_soon as (
      select w.member_id, ${kind('ending_soon')} as kind, a.id as auction_id,
             jsonb_build_object('title', a.title, 'endsAt', a.ends_ms) as data
      from open_auctions a join ${watches} w on w.auction_id = a.id
      where a.format = 'english' and a.running and ${now}::int8 >= a.ends_ms - ${ENDING_SOON_MS}::int8
    ), due as (
      select member_id, kind, auction_id, data, kind || ':' || auction_id as dedupe_key from starting
      union all select member_id, kind, auction_id, data, kind || ':' || auction_id from price_alerts
      union all select member_id, kind, auction_id, data, kind || ':' || auction_id from ending_soon
    )
    insert into ${notifications} (member_id, kind, auction_id, receipt_id, data, dedupe_key)
    select d.member_id, d.kind, d.auction_id, null, d.data, d.dedupe_key
    from due d
    where not exists (
      select 1 from ${notifications} n where n.member_id = d.member_id and n.dedupe_key = d.dedupe_key)
    on conflict (member_id, dedupe_key) do nothing
    returning id, member_id as "memberId"`);
  return result.map(({ id, memberId }) => ({ id, memberId }));
}
