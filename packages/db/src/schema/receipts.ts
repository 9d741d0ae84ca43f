import { AUCTION_FORMATS, ENGLISH_ONLY_STATUSES, LEDGER_KINDS, SETTLED_RECEIPT_STATUSES } from '@dutch/domain';
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { insertedAt, isOneOf, ms } from './column-types.ts';

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
