import type { AuctionStatus, AuctionTerms, Millis } from './auction.ts';
import { priceViewAt } from './price-schedule.ts';
import { statusAt } from './status.ts';

export interface AuctionMoment {
  readonly status: AuctionStatus;
  readonly currentPrice: number;
  readonly nextPrice: number | null;
  readonly nextDropAt: Millis | null;
}

/** Everything about an auction that depends on the clock, computed the same way everywhere. */
export function auctionMomentAt(auction: AuctionTerms, stock: number, now: Millis): AuctionMoment {
  return { status: statusAt(auction, now, stock), ...priceViewAt(auction, now) };
}
