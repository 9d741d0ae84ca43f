import type { AuctionTerms, Millis } from './auction.ts';
import { type DomainError, err, invalid, ok, type Result, refuse } from './errors.ts';
import { priceAt } from './price-schedule.ts';
import { isWithinWindow } from './status.ts';

export interface BidRequest {
  readonly buyerId: string;
  readonly quantity: number;
  readonly maxPrice: number;
}

export interface Admission {
  readonly unitPrice: number;
  readonly total: number;
}

/**
 * The gateway's decision on a bid, at its own clock, before anything is queued.
 * `knownStock` is the last stock the gateway heard of: during the auction stock only falls,
 * so a stale value is too high, never too low, and refusing on it is always right.
 * Checks run in the contract's order: shape (400), then business rules (409).
 */
export function admitBid(
  auction: AuctionTerms,
  knownStock: number,
  bid: BidRequest,
  now: Millis,
): Result<Admission, DomainError> {
  if (!Number.isSafeInteger(bid.quantity) || bid.quantity < 1 || bid.quantity > auction.perBuyerLimit) {
    return err(
      invalid([
        {
          field: 'quantity',
          rule: 'quantity_range',
          message: `must be a whole number from 1 to ${auction.perBuyerLimit} (the per-buyer limit)`,
        },
      ]),
    );
  }
  if (!Number.isSafeInteger(bid.maxPrice) || bid.maxPrice < 1) {
    return err(
      invalid([{ field: 'maxPrice', rule: 'max_price_positive', message: 'must be a whole number of at least 1' }]),
    );
  }
  if (bid.buyerId === auction.sellerId) return err(refuse('OWN_AUCTION', 'Sellers cannot bid on their own auction.'));
  if (!isWithinWindow(auction, now)) {
    const message = now < auction.startsAt ? 'The auction has not started yet.' : 'The auction has ended.';
    return err(refuse('AUCTION_NOT_RUNNING', message));
  }
  if (knownStock <= 0) return err(refuse('SOLD_OUT', 'The auction is sold out.'));
  if (bid.quantity > knownStock) {
    return err(refuse('SOLD_OUT', `Only ${knownStock} left; ask for fewer.`));
  }
  const unitPrice = priceAt(auction, now);
  if (unitPrice > bid.maxPrice) {
    return err(refuse('PRICE_ABOVE_MAX', `The current price ${unitPrice} is above your maxPrice ${bid.maxPrice}.`));
  }
  return ok({ unitPrice, total: unitPrice * bid.quantity });
}
