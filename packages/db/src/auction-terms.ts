import type { AuctionDraft, AuctionTerms, PriceDrop } from '@dutch/domain';

/** The columns of an auction row the domain's terms are made of, camel-cased. */
export interface AuctionTermsRow {
  readonly sellerId: string;
  readonly startPrice: number;
  readonly floorPrice: number | null;
  readonly dropKind: 'constant' | 'percentage';
  readonly dropValue: number;
  readonly dropIntervalSeconds: number;
  /** Epoch ms, from drizzle's rows and raw SQL alike. */
  readonly startsAt: number;
  readonly endsAt: number;
  readonly initialStock: number;
  readonly perBuyerLimit: number;
}

export function priceDropOf(kind: 'constant' | 'percentage', value: number): PriceDrop {
  return kind === 'constant' ? { kind, amount: value } : { kind, percent: value };
}

export function dropColumnsOf(drop: PriceDrop): { dropKind: 'constant' | 'percentage'; dropValue: number } {
  return drop.kind === 'constant'
    ? { dropKind: 'constant', dropValue: drop.amount }
    : { dropKind: 'percentage', dropValue: drop.percent };
}

export function termsOf(row: AuctionTermsRow): AuctionTerms {
  return {
    sellerId: row.sellerId,
    startPrice: row.startPrice,
    floorPrice: row.floorPrice,
    priceDrop: priceDropOf(row.dropKind, row.dropValue),
    dropIntervalSeconds: row.dropIntervalSeconds,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    initialStock: row.initialStock,
    perBuyerLimit: row.perBuyerLimit,
  };
}

/** SQL for an instant as epoch milliseconds, exactly (timestamps are stored to the millisecond). */
export const epochMs = (column: string) => `(extract(epoch from ${column}) * 1000)::int8`;

/**
 * The terms columns, camel-cased, for raw SQL that feeds termsOf(). Times come back as epoch
 * ms: drizzle switches off postgres.js's own date parsing on the client it shares.
 */
export const AUCTION_TERMS_COLUMNS = `seller_id as "sellerId", start_price as "startPrice", floor_price as "floorPrice",
  drop_kind as "dropKind", drop_value as "dropValue", drop_interval_seconds as "dropIntervalSeconds",
  ${epochMs('starts_at')} as "startsAt", ${epochMs('ends_at')} as "endsAt",
  initial_stock as "initialStock", per_buyer_limit as "perBuyerLimit"`;

/** The draft a stored auction stands for (what a PATCH merges onto): its terms, and what only its listing shows. */
export function draftOf(
  row: AuctionTermsRow & { readonly title: string; readonly description: string; readonly showStock: boolean },
): AuctionDraft {
  const { sellerId, initialStock, ...schedule } = termsOf(row);
  return { ...schedule, title: row.title, description: row.description, stock: initialStock, showStock: row.showStock };
}
