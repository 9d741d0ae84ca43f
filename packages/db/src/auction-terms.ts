import type {
  AuctionDraft,
  AuctionFormat,
  AuctionTerms,
  EnglishDraft,
  EnglishLead,
  EnglishTerms,
  PriceDrop,
  Pricing,
} from '@dutch/domain';

/**
 * The columns of an auction row the domain's terms are made of, camel-cased, for either format:
 * the other format's columns are null (the table's checks see to it).
 */
export interface AuctionTermsRow {
  readonly format: AuctionFormat;
  readonly pricing: Pricing;
  readonly sellerId: string;
  readonly startPrice: number;
  readonly floorPrice: number | null;
  readonly dropKind: 'constant' | 'percentage' | null;
  readonly dropValue: number | null;
  readonly dropIntervalSeconds: number | null;
  /** Epoch ms, from drizzle's rows and raw SQL alike. */
  readonly startsAt: number;
  /** The current end (an English soft close moves it). */
  readonly endsAt: number;
  readonly initialStock: number;
  readonly perBuyerLimit: number;
  readonly minIncrement: number | null;
  readonly reservePrice: number | null;
  readonly extendSeconds: number | null;
}

/** The English lead's columns, camel-cased (null / 0 on Dutch rows). */
export interface EnglishLeadRow {
  readonly highBid: number | null;
  readonly bidCount: number;
  readonly leaderId: string | null;
  readonly leadingReceiptId: string | null;
  readonly endsAt: number;
}

/** An auction's terms by format; English ones come with their lead. */
export type FormatTerms =
  | { readonly format: 'dutch'; readonly terms: AuctionTerms }
  | { readonly format: 'english'; readonly terms: EnglishTerms; readonly lead: EnglishLead };

export function priceDropOf(kind: 'constant' | 'percentage', value: number): PriceDrop {
  return kind === 'constant' ? { kind, amount: value } : { kind, percent: value };
}

export function dropColumnsOf(drop: PriceDrop): { dropKind: 'constant' | 'percentage'; dropValue: number } {
  return drop.kind === 'constant'
    ? { dropKind: 'constant', dropValue: drop.amount }
    : { dropKind: 'percentage', dropValue: drop.percent };
}

/** A Dutch auction's terms. Throws on an English row: reading one as Dutch is a bug, not bad input. */
export function termsOf(row: AuctionTermsRow): AuctionTerms {
  const { dropKind, dropValue, dropIntervalSeconds } = row;
  if (row.format !== 'dutch' || dropKind === null || dropValue === null || dropIntervalSeconds === null) {
    throw new Error(`a ${row.format} auction has no Dutch terms`);
  }
  return {
    sellerId: row.sellerId,
    startPrice: row.startPrice,
    floorPrice: row.floorPrice,
    priceDrop: priceDropOf(dropKind, dropValue),
    dropIntervalSeconds,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    initialStock: row.initialStock,
    perBuyerLimit: row.perBuyerLimit,
    pricing: row.pricing,
  };
}

/**
 * An English auction's terms. Only the current end is stored, so `endsAt` is it: the scheduled
 * end until a soft close first moves it. Nothing decides by the scheduled end once bids move it
 * (settlement and the close go by the lead's end), and edits are only allowed before the start.
 */
export function englishTermsOf(row: AuctionTermsRow): EnglishTerms {
  const { minIncrement, extendSeconds } = row;
  if (row.format !== 'english' || minIncrement === null || extendSeconds === null) {
    throw new Error(`a ${row.format} auction has no English terms`);
  }
  return {
    sellerId: row.sellerId,
    startPrice: row.startPrice,
    minIncrement,
    reservePrice: row.reservePrice,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    extendSeconds,
  };
}

export function englishLeadOf(row: EnglishLeadRow): EnglishLead {
  return {
    highBid: row.highBid,
    leaderId: row.leaderId,
    leadingReceiptId: row.leadingReceiptId,
    bidCount: row.bidCount,
    endsAt: row.endsAt,
  };
}

export function formatTermsOf(row: AuctionTermsRow & EnglishLeadRow): FormatTerms {
  return row.format === 'dutch'
    ? { format: 'dutch', terms: termsOf(row) }
    : { format: 'english', terms: englishTermsOf(row), lead: englishLeadOf(row) };
}

/** SQL for an instant as epoch milliseconds, exactly (timestamps are stored to the millisecond). */
export const epochMs = (column: string) => `(extract(epoch from ${column}) * 1000)::int8`;

/**
 * The terms columns of either format and the English lead, camel-cased, for raw SQL that feeds
 * termsOf(), englishTermsOf() and englishLeadOf(). Times come back as epoch ms: drizzle switches
 * off postgres.js's own date parsing on the client it shares. One fixed constant (the only text
 * spliced into SQL, see the gateway's sql-injection test), so both formats read the same way.
 */
export const AUCTION_TERMS_COLUMNS = `format, pricing, seller_id as "sellerId", start_price as "startPrice",
  floor_price as "floorPrice", drop_kind as "dropKind", drop_value as "dropValue",
  drop_interval_seconds as "dropIntervalSeconds",
  ${epochMs('starts_at')} as "startsAt", ${epochMs('ends_at')} as "endsAt",
  initial_stock as "initialStock", per_buyer_limit as "perBuyerLimit",
  min_increment as "minIncrement", reserve_price as "reservePrice", extend_seconds as "extendSeconds",
  high_bid as "highBid", bid_count as "bidCount", leader_id as "leaderId", leading_receipt_id as "leadingReceiptId",
  ${epochMs('closed_at')} as "closedAt"`;

/** The draft a stored Dutch auction stands for (what a PATCH merges onto): its terms, and what only its listing shows. */
export function draftOf(
  row: AuctionTermsRow & { readonly title: string; readonly description: string; readonly showStock: boolean },
): AuctionDraft {
  const { sellerId, initialStock, ...schedule } = termsOf(row);
  return { ...schedule, title: row.title, description: row.description, stock: initialStock, showStock: row.showStock };
}

/** The draft a stored English auction stands for (what a PATCH merges onto). */
export function englishDraftOf(
  row: AuctionTermsRow & { readonly title: string; readonly description: string },
): EnglishDraft {
  const { sellerId, ...terms } = englishTermsOf(row);
  return { ...terms, title: row.title, description: row.description };
}
