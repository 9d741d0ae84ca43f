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

/**
 * Arbitrary but fixed (beside the migration lock's 7_340_101): one scheduler round at a time in a
 * database. The others skip their round instead of queuing on the same rows, so concurrent
 * consumers neither repeat the work nor wait on each other's inserts.
 */
const SCHEDULER_LOCK = 7_340_113;

const kind = (value: WatchAlertKind) => sql`${value}::text`;

/**
 * One row per alert due at `now` that the watch has not had: (member_id, auction_id, kind, data),
 * one select per kind over the open auctions (see dueAlertsSql).
 */
function dueAlertsSql(now: number): SQL {
  const unalerted = (value: WatchAlertKind) => sql`not (${kind(value)} = any(w.alerted))`;
  return sql`
    select w.member_id, a.id as auction_id, ${kind('auction_starting')} as kind,
           jsonb_build_object('title', a.title) as data
    from open_auctions a join ${watches} w on w.auction_id = a.id
    where w.created_at < a.starts_at and ${unalerted('auction_starting')}
    union all
    select w.member_id, a.id, ${kind('price_alert')},
           jsonb_build_object('title', a.title, 'price', a.price, 'alertPrice', w.alert_price)
    from open_auctions a join ${watches} w on w.auction_id = a.id
    where a.format = 'dutch' and a.running and w.alert_price is not null and a.price <= w.alert_price
      and ${unalerted('price_alert')}
    union all
    select w.member_id, a.id, ${kind('ending_soon')}, jsonb_build_object('title', a.title, 'endsAt', a.ends_ms)
    from open_auctions a join ${watches} w on w.auction_id = a.id
    where a.format = 'english' and a.running and ${now}::int8 >= a.ends_ms - ${ENDING_SOON_MS}::int8
      and ${unalerted('ending_soon')}`;
}

/**
 * Stores every time-driven alert due at `now` (epoch ms) for every watch, in ONE statement
 * whatever the number of watchers, mirroring the domain's dueWatchAlerts() (tested against it):
 * - auction_starting: the watch was made before the start, and the auction has started, not ended;
 * - price_alert: Dutch, running, alert_price set, the price at `now` (currentPriceAt, the list
 *   sort's expression over price_steps) at or below it;
 * - ending_soon: English, running, `now` >= current end - ENDING_SOON_MS.
 * Only auctions neither closed nor withdrawn that have started and not ended are read, by the
 * closer's index (auctions_unclosed_idx), and their watchers by watches_auction_idx. Dedupe keys
 * are `<kind>:<auctionId>`, `data` what describeNotification reads: {title}, {title, price,
 * alertPrice}, {title, endsAt}. An alert found stored already is not inserted again and `on
 * conflict do nothing` settles any race; either way the watch records it (watches.alerted), so
 * the next rounds skip it without looking. A round another process is running is skipped
 * (returns []). Its own transaction: takes the pool, not a Tx. Returns the rows written.
 */
export async function insertDueWatchNotifications(client: Sql, now: number): Promise<InsertedNotification[]> {
  const live = and(
    sql`${auctions.closedAt} is null and ${auctions.deletedAt} is null`,
    lte(auctions.startsAt, now),
    gt(auctions.endsAt, now),
  );
  const result = await drizzleOf(client).execute<{ id: number; memberId: string }>(sql`
    with open_auctions as materialized (
      select ${auctions.id} as id, ${auctions.title} as title, ${auctions.format} as format,
             ${auctions.startsAt} as starts_at, (extract(epoch from ${auctions.endsAt}) * 1000)::int8 as ends_ms,
             ${hasStatusAt('running', now)} as running, ${currentPriceAt(now)} as price
      from ${auctions}
      where ${live} and (select pg_try_advisory_xact_lock(${SCHEDULER_LOCK}::int8))
    ), due as materialized (
      select d.*, d.kind || ':' || d.auction_id as dedupe_key,
             exists (select 1 from ${notifications} n
                     where n.member_id = d.member_id and n.dedupe_key = d.kind || ':' || d.auction_id) as stored
      from (${dueAlertsSql(now)}) d
    ), inserted as (
      insert into ${notifications} (member_id, kind, auction_id, receipt_id, data, dedupe_key)
      select member_id, kind, auction_id, null, data, dedupe_key from due where not stored
      on conflict (member_id, dedupe_key) do nothing
      returning id, member_id, auction_id, kind
    ), had as (
      select member_id, auction_id, array_agg(kind) as kinds
      from (select member_id, auction_id, kind from due where stored
            union all select member_id, auction_id, kind from inserted) as x
      group by member_id, auction_id
    ), recorded as (
      update ${watches} w set alerted = w.alerted || had.kinds
      from had where w.member_id = had.member_id and w.auction_id = had.auction_id
    )
    select id, member_id as "memberId" from inserted`);
  return result.map(({ id, memberId }) => ({ id, memberId }));
}
