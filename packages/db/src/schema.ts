import { GENDERS, SETTLED_RECEIPT_STATUSES } from '@dutch/domain';
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  pgTable,
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

export const members = pgTable(
  'members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    age: smallint('age'),
    gender: text('gender', { enum: GENDERS }),
    points: bigint('points', { mode: 'number' }).notNull().default(0),
    createdAt: insertedAt('created_at'),
  },
  (t) => [
    check('members_points_non_negative', sql`${t.points} >= 0`),
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

export const auctions = pgTable(
  'auctions',
  {
    id: uuid('id').primaryKey(),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => members.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    startPrice: integer('start_price').notNull(),
    floorPrice: integer('floor_price'),
    dropKind: text('drop_kind', { enum: ['constant', 'percentage'] }).notNull(),
    /** The constant amount, or the percent, depending on dropKind. */
    dropValue: integer('drop_value').notNull(),
    dropIntervalSeconds: integer('drop_interval_seconds').notNull(),
    startsAt: ms('starts_at').notNull(),
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
    priceSteps: integer('price_steps').array().notNull(),
    /** Receipts settled so far; the next one gets settled_count + 1 as its settle_seq. */
    settledCount: bigint('settled_count', { mode: 'number' }).notNull().default(0),
    createdAt: insertedAt('created_at'),
    updatedAt: insertedAt('updated_at'),
    /** Auctions are deleted softly: queued bids for them still settle (as AUCTION_NOT_RUNNING). */
    deletedAt: ms('deleted_at'),
  },
  (t) => [
    check('auctions_stock_in_range', sql`${t.stock} >= 0 and ${t.stock} <= ${t.initialStock}`),
    check('auctions_limit_in_range', sql`${t.perBuyerLimit} >= 1 and ${t.perBuyerLimit} <= ${t.initialStock}`),
    check('auctions_window', sql`${t.endsAt} > ${t.startsAt}`),
    index('auctions_starts_at_idx').on(t.startsAt, t.id).where(sql`${t.deletedAt} is null`),
    index('auctions_ends_at_idx').on(t.endsAt).where(sql`${t.deletedAt} is null`),
    index('auctions_seller_idx').on(t.sellerId),
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
    check(
      'receipts_duplicate_failed',
      sql`${t.duplicateOf} is null or (${t.status} = 'FAILED' and ${t.failureReason} = 'DUPLICATE_REQUEST')`,
    ),
  ],
);

export const LEDGER_KINDS = ['charge', 'purchase', 'refund'] as const;

/**
 * Append-only record of every points move, one row per move (double entry in one row):
 * a charge comes from outside (from_member null); a purchase goes buyer -> seller; a refund
 * seller -> buyer. Every balance equals what its rows bring in minus what they take out.
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
    uniqueIndex('points_ledger_one_move_per_receipt').on(t.receiptId, t.kind).where(sql`${t.receiptId} is not null`),
  ],
);
