import { NOTIFICATION_KINDS, WATCH_ALERT_KINDS } from '@dutch/domain';
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { auctions } from './auctions.ts';
import { insertedAt, isOneOf, isSubsetOf, ms, xid8 } from './column-types.ts';
import { members } from './members.ts';

/**
 * A member following an auction, with an optional price to be told about (Dutch). Few rows per
 * member and written by hand, so they keep their foreign keys. created_at is the gateway's clock
 * (an argument, like every instant the rules compare): auction_starting goes only to watches made
 * before the start.
 */
export const watches = pgTable(
  'watches',
  {
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    auctionId: uuid('auction_id')
      .notNull()
      .references(() => auctions.id),
    alertPrice: integer('alert_price'),
    createdAt: ms('created_at').notNull(),
    /**
     * The alerts this watch has had (stored, or found stored), set by the scheduler in the same
     * statement. Only a shortcut: the unique dedupe key is what makes an alert once; this spares
     * the scheduler re-checking the inbox every round for watchers alerted already (10,000 of them
     * on an auction whose price stays below their alert price).
     */
    alerted: text('alerted', { enum: WATCH_ALERT_KINDS }).array().notNull().default(sql`'{}'`),
  },
  (t) => [
    primaryKey({ name: 'watches_pkey', columns: [t.memberId, t.auctionId] }),
    check('watches_alert_price_positive', sql`${t.alertPrice} >= 1`),
    check('watches_alerted_known', isSubsetOf(t.alerted, WATCH_ALERT_KINDS)),
    // The scheduler's join: an auction's watchers.
    index('watches_auction_idx').on(t.auctionId),
  ],
);

/**
 * A member's inbox. Only kind and data are stored; the words come from the domain's
 * describeNotification(), one place for them. No foreign keys, as on receipts: rows are written
 * in settlement's transactions for every outcome, under locks on the rows they point to.
 * unique (member_id, dedupe_key) is the exactly-once: a second delivery of the same event cannot
 * insert, whichever process or retry attempts it.
 *
 * Order: ids come from a sequence when a row is inserted, but transactions commit in another
 * order, so "after id 11" would skip an id 10 committed later. Rows are therefore read in
 * (tx_id, id) order, the inserting transaction's id first: every transaction that can still
 * commit a row has a tx_id at or above the oldest one still running, so the rows below it are a
 * prefix no later commit changes. See isSettledInOrder and findNotificationsAfter().
 */
export const notifications = pgTable(
  'notifications',
  {
    /** The SSE event id. Below 2^53 for ever at any plausible rate, so read as a number like every int8 here. */
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    memberId: uuid('member_id').notNull(),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    auctionId: uuid('auction_id').notNull(),
    receiptId: uuid('receipt_id'),
    data: jsonb('data').$type<Record<string, string | number | boolean | null>>().notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    /** The inserting transaction (top level). */
    txId: xid8('tx_id').notNull().default(sql`pg_current_xact_id()`),
    createdAt: insertedAt('created_at'),
    readAt: ms('read_at'),
  },
  (t) => [
    check('notifications_kind_known', isOneOf(t.kind, NOTIFICATION_KINDS)),
    unique('notifications_member_dedupe_key').on(t.memberId, t.dedupeKey),
    // The inbox in delivery order: pages (newest first) and SSE resume (after a position).
    index('notifications_member_order_idx').on(t.memberId, t.txId, t.id),
    // The unread count and the unread page: unread rows are few, read ones pile up.
    index('notifications_member_unread_idx').on(t.memberId, t.txId, t.id).where(sql`${t.readAt} is null`),
  ],
);
