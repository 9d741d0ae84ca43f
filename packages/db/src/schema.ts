import {
  AUCTION_FORMATS,
  ENGLISH_ONLY_STATUSES,
  GENDERS,
  LEDGER_KINDS,
  NOTIFICATION_KINDS,
  PRICINGS,
  SETTLED_RECEIPT_STATUSES,
  WATCH_ALERT_KINDS,
} from '@dutch/domain';
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
/**
 * Instants are epoch ms in every row drizzle hands back, as in raw SQL (see epochMs): one time
 * style at this package's boundary. Stored as timestamptz(3), so nothing is rounded away.
 */
const ms = customType<{ data: number; driverData: string }>({
  dataType: () => 'timestamp (3) with time zone',
  toDriver: (at) => new Date(at).toISOString(),
  fromDriver: (value) => new Date(value).getTime(),
});
/** Set by Postgres on insert. */
const insertedAt = (name: string) => ms(name).notNull().default(sql`now()`);

/**
 * `column in ('a', 'b', ...)` from a frozen list, so a check states the list its owner keeps
 * instead of a copy. The values are inlined as quoted literals (DDL takes no parameters), so the
 * generated constraint reads as it always did and drizzle-kit sees no change.
 */
function isOneOf(column: AnyColumn, values: readonly string[]): SQL {
  const literals = sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );
  return sql`${column} in (${literals})`.inlineParams();
}

/** `column <@ array['a', 'b', ...]`: every element of an array column is in a frozen list (see isOneOf). */
function isSubsetOf(column: AnyColumn, values: readonly string[]): SQL {
  const literals = sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );
  return sql`${column} <@ array[${literals}]::text[]`.inlineParams();
}

export const members = pgTable(
  'members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    age: smallint('age'),
    gender: text('gender', { enum: GENDERS }),
    /** Free points: what the member can spend. */
    points: bigint('points', { mode: 'number' }).notNull().default(0),
    /** Points held for the member's leading English bids (and, for a uniform seller, takings owed rebates). */
    heldPoints: bigint('held_points', { mode: 'number' }).notNull().default(0),
    createdAt: insertedAt('created_at'),
  },
  (t) => [
    check('members_points_non_negative', sql`${t.points} >= 0`),
    check('members_held_points_non_negative', sql`${t.heldPoints} >= 0`),
    check('members_gender_known', isOneOf(t.gender, GENDERS)),
  ],
);

/** Bearer tokens: the secret is shown once and only its SHA-256 is kept. */
export const memberTokens = pgTable(
  'member_tokens',
  {
    id: uuid('id').primaryKey(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    secretHash: bytea('secret_hash').notNull(),
    createdAt: insertedAt('created_at'),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('member_tokens_member_idx').on(t.memberId)],
);

/**
 * Both formats share one table: the bid path, the lists and the closer read one row shape.
 * Dutch-only columns are null on English rows and the English ones null on Dutch rows (checked
 * below). An English row keeps initial_stock = stock = per_buyer_limit = 1: its one lot never
 * leaves the stock, so it is never sold_out and the generic status SQL holds for it.
 */
export const auctions = pgTable(
  'auctions',
  {
    id: uuid('id').primaryKey(),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => members.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    format: text('format', { enum: AUCTION_FORMATS }).notNull().default('dutch'),
    /** Dutch only; English rows keep the default. */
    pricing: text('pricing', { enum: PRICINGS }).notNull().default('pay_as_bid'),
    startPrice: integer('start_price').notNull(),
    floorPrice: integer('floor_price'),
    dropKind: text('drop_kind', { enum: ['constant', 'percentage'] }),
    /** The constant amount, or the percent, depending on dropKind. */
    dropValue: integer('drop_value'),
    dropIntervalSeconds: integer('drop_interval_seconds'),
    startsAt: ms('starts_at').notNull(),
    /** The CURRENT end: an English soft close moves it later. */
    endsAt: ms('ends_at').notNull(),
    initialStock: integer('initial_stock').notNull(),
    stock: integer('stock').notNull(),
    soldCount: integer('sold_count').notNull().generatedAlwaysAs(sql`initial_stock - stock`),
    perBuyerLimit: integer('per_buyer_limit').notNull(),
    showStock: boolean('show_stock').notNull().default(true),
    /**
     * The domain's priceSteps(), stored so SQL can sort and page by the current price
     * without restating the pricing rules.
     */
    priceSteps: integer('price_steps').array(),
    /** Receipts settled so far; the next one gets settled_count + 1 as its settle_seq. */
    settledCount: bigint('settled_count', { mode: 'number' }).notNull().default(0),
    /** Set once, by the close's transaction: nothing but refunds settles after it. */
    closedAt: ms('closed_at'),
    /** Uniform Dutch, once closed: the lowest unit price paid; null when nothing sold. */
    clearingPrice: integer('clearing_price'),
    // English terms.
    minIncrement: integer('min_increment'),
    /** Shown to the seller only. */
    reservePrice: integer('reserve_price'),
    extendSeconds: integer('extend_seconds'),
    // English lead, as settlement left it.
    highBid: integer('high_bid'),
    /** Leading bids so far. */
    bidCount: integer('bid_count').notNull().default(0),
    leaderId: uuid('leader_id'),
    leadingReceiptId: uuid('leading_receipt_id'),
    // English result, set by the close: null when unsold or the reserve was not met.
    winnerId: uuid('winner_id'),
    finalPrice: integer('final_price'),
    createdAt: insertedAt('created_at'),
    updatedAt: insertedAt('updated_at'),
    /** Auctions are deleted softly: queued bids for them still settle (as AUCTION_NOT_RUNNING). */
    deletedAt: ms('deleted_at'),
  },
  (t) => [
    check('auctions_stock_in_range', sql`${t.stock} >= 0 and ${t.stock} <= ${t.initialStock}`),
    check('auctions_limit_in_range', sql`${t.perBuyerLimit} >= 1 and ${t.perBuyerLimit} <= ${t.initialStock}`),
    check('auctions_window', sql`${t.endsAt} > ${t.startsAt}`),
    check('auctions_format_known', isOneOf(t.format, AUCTION_FORMATS)),
    check('auctions_pricing_known', isOneOf(t.pricing, PRICINGS)),
    check('auctions_pricing_dutch_only', sql`${t.format} = 'dutch' or ${t.pricing} = 'pay_as_bid'`),
    // Each format has exactly its own columns: a row can be read back as its format's terms.
    check(
      'auctions_dutch_columns',
      sql`(${t.format} = 'dutch') = (${t.dropKind} is not null)
        and (${t.format} = 'dutch') = (${t.dropValue} is not null)
        and (${t.format} = 'dutch') = (${t.dropIntervalSeconds} is not null)
        and (${t.format} = 'dutch') = (${t.priceSteps} is not null)`,
    ),
    check(
      'auctions_english_columns',
      sql`(${t.format} = 'english') = (${t.minIncrement} is not null)
        and (${t.format} = 'english') = (${t.extendSeconds} is not null)`,
    ),
    check(
      'auctions_english_one_lot',
      sql`${t.format} = 'dutch' or (${t.initialStock} = 1 and ${t.stock} = 1 and ${t.perBuyerLimit} = 1)`,
    ),
    check('auctions_clearing_price_dutch_only', sql`${t.format} = 'dutch' or ${t.clearingPrice} is null`),
    // The lead is all there or all absent, and only English rows have one or a result.
    check(
      'auctions_english_lead',
      sql`(${t.highBid} is null) = (${t.leaderId} is null) and (${t.leaderId} is null) = (${t.leadingReceiptId} is null)
        and (${t.winnerId} is null) = (${t.finalPrice} is null)
        and (${t.format} = 'english' or (${t.highBid} is null and ${t.bidCount} = 0 and ${t.winnerId} is null))`,
    ),
    index('auctions_starts_at_idx').on(t.startsAt, t.id).where(sql`${t.deletedAt} is null`),
    index('auctions_ends_at_idx').on(t.endsAt).where(sql`${t.deletedAt} is null`),
    index('auctions_seller_idx').on(t.sellerId),
    // The closer's scan: auctions not closed yet, by end. Neither stock nor the lead is indexed,
    // so settlement's row updates stay HOT (closed_at changes once per auction).
    index('auctions_unclosed_idx').on(t.endsAt).where(sql`${t.closedAt} is null and ${t.deletedAt} is null`),
  ],
);

/**
 * One row per settled bid, keyed by the receipt id the gateway issued: a second settlement
 * of the same bid cannot insert. PENDING receipts live only in Redis until settled.
 *
 * Receipts and the ledger are written for every bid, so they carry no foreign keys: the
 * checks cost about a third of settlement throughput (measured), and every reference is
 * written under locks on the rows it points to (the auction row, the member rows), which
 * exist and are never deleted. auditLedger() checks there are no dangling references.
 */
export const receipts = pgTable(
  'receipts',
  {
    id: uuid('id').primaryKey(),
    auctionId: uuid('auction_id').notNull(),
    buyerId: uuid('buyer_id').notNull(),
    sellerId: uuid('seller_id').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: integer('unit_price').notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    status: text('status', { enum: SETTLED_RECEIPT_STATUSES }).notNull(),
    failureReason: text('failure_reason'),
    acceptedAt: ms('accepted_at').notNull(),
    settledAt: ms('settled_at').notNull(),
    refundRequestedAt: ms('refund_requested_at'),
    refundedAt: ms('refunded_at'),
    /** The last refund request the consumer decided, so a redelivered request is not decided twice. */
    refundRequestId: uuid('refund_request_id'),
    /** The Redis Stream entry id the bid arrived as, for auditing stream order. */
    streamId: text('stream_id').notNull(),
    /** Position in the auction's settlement order (1, 2, ...). */
    settleSeq: bigint('settle_seq', { mode: 'number' }).notNull(),
    /**
     * The buyer's Idempotency-Key, on the first receipt made for it (never on its retries):
     * Redis can lose its record of a key, this row cannot.
     */
    idempotencyKey: text('idempotency_key'),
    /** A DUPLICATE_REQUEST receipt: the first receipt made for the same buyer and key. */
    duplicateOf: uuid('duplicate_of'),
    /** The auction's format. English receipts have quantity 1 and unit_price = total = the amount bid. */
    format: text('format', { enum: AUCTION_FORMATS }).notNull().default('dutch'),
    /** Points given back at a uniform close: (unit_price - final_unit_price) * quantity. */
    rebate: bigint('rebate', { mode: 'number' }).notNull().default(0),
    /** The clearing price, set on PURCHASED receipts by a uniform close; null until then (and for pay-as-bid). */
    finalUnitPrice: integer('final_unit_price'),
  },
  (t) => [
    check('receipts_status_known', isOneOf(t.status, SETTLED_RECEIPT_STATUSES)),
    check('receipts_quantity_positive', sql`${t.quantity} >= 1`),
    check('receipts_total', sql`${t.total} = ${t.unitPrice}::bigint * ${t.quantity}`),
    check('receipts_failed_has_reason', sql`${t.status} <> 'FAILED' or ${t.failureReason} is not null`),
    unique('receipts_auction_settle_seq').on(t.auctionId, t.settleSeq),
    index('receipts_buyer_recent_idx').on(t.buyerId, t.acceptedAt.desc(), t.id.desc()),
    index('receipts_seller_recent_idx').on(t.sellerId, t.acceptedAt.desc(), t.id.desc()),
    index('receipts_auction_buyer_idx').on(t.auctionId, t.buyerId),
    index('receipts_buyer_idempotency_key_idx')
      .on(t.buyerId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    check('receipts_format_known', isOneOf(t.format, AUCTION_FORMATS)),
    check(
      'receipts_english_statuses',
      sql`not (${isOneOf(t.status, ENGLISH_ONLY_STATUSES)}) or ${t.format} = 'english'`,
    ),
    check('receipts_english_one_lot', sql`${t.format} = 'dutch' or ${t.quantity} = 1`),
    check(
      'receipts_rebate',
      sql`${t.rebate} >= 0 and (${t.finalUnitPrice} is null or ${t.rebate} = (${t.unitPrice} - ${t.finalUnitPrice})::bigint * ${t.quantity})`,
    ),
    check(
      'receipts_duplicate_failed',
      sql`${t.duplicateOf} is null or (${t.status} = 'FAILED' and ${t.failureReason} = 'DUPLICATE_REQUEST')`,
    ),
  ],
);

/**
 * Append-only record of every points move, one row per move (double entry in one row):
 * a charge comes from outside (from_member null); a purchase goes buyer -> seller; a refund and
 * a rebate seller -> buyer; a hold moves a member's points to their held points and a release
 * back (from = to). The domain's bucketsOf() says which balance each kind takes from and adds
 * to; every balance equals what its rows bring in minus what they take out.
 */
export const pointsLedger = pgTable(
  'points_ledger',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind', { enum: LEDGER_KINDS }).notNull(),
    fromMember: uuid('from_member'),
    toMember: uuid('to_member').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    receiptId: uuid('receipt_id'),
    createdAt: insertedAt('created_at'),
  },
  (t) => [
    check('points_ledger_amount_positive', sql`${t.amount} > 0`),
    check('points_ledger_kind_known', isOneOf(t.kind, LEDGER_KINDS)),
    check(
      'points_ledger_shape',
      sql`(${t.kind} = 'charge') = (${t.fromMember} is null) and (${t.kind} = 'charge') = (${t.receiptId} is null)`,
    ),
    check('points_ledger_hold_own', sql`${t.kind} not in ('hold', 'release') or ${t.fromMember} = ${t.toMember}`),
    uniqueIndex('points_ledger_one_move_per_receipt').on(t.receiptId, t.kind).where(sql`${t.receiptId} is not null`),
  ],
);

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

/** A 64-bit transaction id (never wraps); only compared in SQL, so it stays a string in TS. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

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
