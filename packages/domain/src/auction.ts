/** Times are epoch milliseconds throughout the domain: the caller owns the clock. */
export type Millis = number;

/** How the price moves: down over time (Dutch) or up by bids (English). */
export const AUCTION_FORMATS = Object.freeze(['dutch', 'english'] as const);

export type AuctionFormat = (typeof AUCTION_FORMATS)[number];

/**
 * What a Dutch buyer finally pays: the price at their bid (pay_as_bid), or the lowest price
 * any purchase was made at, settled at close by rebates (uniform).
 */
export const PRICINGS = Object.freeze(['pay_as_bid', 'uniform'] as const);

export type Pricing = (typeof PRICINGS)[number];

export type PriceDrop =
  | { readonly kind: 'constant'; readonly amount: number }
  | { readonly kind: 'percentage'; readonly percent: number };

/** What the price depends on, and nothing else. */
export interface PriceSchedule {
  readonly startPrice: number;
  /** null: no floor; the schedule must then stay >= 1 on its own. */
  readonly floorPrice: number | null;
  readonly priceDrop: PriceDrop;
  readonly dropIntervalSeconds: number;
  readonly startsAt: Millis;
  readonly endsAt: Millis;
}

/** A schedule plus the terms settlement enforces. */
export interface AuctionTerms extends PriceSchedule {
  readonly sellerId: string;
  readonly initialStock: number;
  readonly perBuyerLimit: number;
  readonly pricing: Pricing;
}

export type AuctionStatus = 'scheduled' | 'running' | 'sold_out' | 'ended';

export const AUCTION_STATUSES: readonly AuctionStatus[] = ['scheduled', 'running', 'sold_out', 'ended'];

/** Everything a seller submits to create (or, merged, to edit) an auction. */
export interface AuctionDraft {
  readonly title: string;
  readonly description: string;
  readonly startPrice: number;
  readonly floorPrice: number | null;
  readonly priceDrop: PriceDrop;
  readonly dropIntervalSeconds: number;
  readonly startsAt: Millis;
  readonly endsAt: Millis;
  readonly stock: number;
  readonly perBuyerLimit: number;
  readonly showStock: boolean;
  readonly pricing: Pricing;
}
