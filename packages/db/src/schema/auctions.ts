import { AUCTION_FORMATS, PRICINGS } from '@dutch/domain';
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { insertedAt, isOneOf, ms } from './column-types.ts';
import { members } from './members.ts';

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
