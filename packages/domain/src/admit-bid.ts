import type { AuctionTerms, Millis } from './auction.ts';
import { type DomainError, err, invalid, ok, type Result, refuse, type Violation } from './errors.ts';
import { priceAt } from './price-schedule.ts';
import { isWithinWindow } from './status.ts';
import { canSeeStock } from './stock-visibility.ts';

/** What a buyer offers: the part of a bid the domain rules judge. */
export interface BidOffer {
  readonly buyerId: string;
  readonly quantity: number;
  readonly maxPrice: number;
}

export interface Admission {
  readonly unitPrice: number;
  readonly total: number;
}

/**
 * The shape of a bid (the 400s): a whole quantity from 1 to the per-buyer limit and a whole
 * maxPrice of at least 1. The page checks the same before it sends.
 */
export function validateBid(
  bid: Pick<BidOffer, 'quantity' | 'maxPrice'>,
  perBuyerLimit: number,
): Result<true, DomainError> {
  const violations: Violation[] = [];
  if (!Number.isSafeInteger(bid.quantity) || bid.quantity < 1 || bid.quantity > perBuyerLimit) {
    violations.push({
      field: 'quantity',
      rule: 'quantity_range',
      message: `must be a whole number from 1 to ${perBuyerLimit} (the per-buyer limit)`,
    });
  }
  if (!Number.isSafeInteger(bid.maxPrice) || bid.maxPrice < 1) {
    violations.push({ field: 'maxPrice', rule: 'max_price_positive', message: 'must be a whole number of at least 1' });
  }
  return violations.length === 0 ? ok(true) : err(invalid(violations));
}

/**
 * The gateway's decision on a bid, at its own clock, before anything is queued.
 * `knownStock` is the last stock the gateway heard of: during the auction stock only falls,
 * so a stale value is too high, never too low, and refusing on it is always right.
 * Checks run in the contract's order: shape (400), then business rules (409).
 *
 * On a hidden-stock auction no answer may tell a buyer more than `status` does: the price is
 * checked before any stock, and stock refuses only at 0 (sold_out, public anyway). A bid for
 * more than the hidden remainder is queued, and settlement fails it by the rules every bid
 * meets; otherwise SOLD_OUT vs PRICE_ABOVE_MAX would give the stock away by binary search.
 * Terms without `showStock` are treated as hidden: forgetting it must not leak.
 */
export function admitBid(
  auction: AuctionTerms & { readonly showStock?: boolean },
  knownStock: number,
  bid: BidOffer,
  now: Millis,
): Result<Admission, DomainError> {
  const shape = validateBid(bid, auction.perBuyerLimit);
  if (!shape.ok) return shape;
  if (bid.buyerId === auction.sellerId) return err(refuse('OWN_AUCTION', 'Sellers cannot bid on their own auction.'));
  if (!isWithinWindow(auction, now)) {
    const message = now < auction.startsAt ? 'The auction has not started yet.' : 'The auction has ended.';
    return err(refuse('AUCTION_NOT_RUNNING', message));
  }
  if (knownStock <= 0) return err(refuse('SOLD_OUT', 'The auction is sold out.'));
  const unitPrice = priceAt(auction, now);
  if (unitPrice > bid.maxPrice) {
    return err(refuse('PRICE_ABOVE_MAX', `The current price ${unitPrice} is above your maxPrice ${bid.maxPrice}.`));
  }
  const visibility = { sellerId: auction.sellerId, showStock: auction.showStock === true };
  if (canSeeStock(visibility, bid.buyerId) && bid.quantity > knownStock) {
    return err(refuse('SOLD_OUT', `Only ${knownStock} left; ask for fewer.`));
  }
  return ok({ unitPrice, total: unitPrice * bid.quantity });
}
