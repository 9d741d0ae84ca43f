import type { AuctionTerms, Millis } from './auction.ts';
import type { FailureReason } from './errors.ts';
import { addDelta } from './point-deltas.ts';
import { priceAt } from './price-schedule.ts';
import { isWithinWindow } from './status.ts';

/** A bid the gateway admitted and queued; settlement decides it. */
export interface QueuedBid {
  readonly receiptId: string;
  readonly buyerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly acceptedAt: Millis;
}

/** What settlement needs to know, read under the auction's lock. */
export interface AuctionLedgerState {
  readonly stock: number;
  /** Balance of every member the batch touches: each buyer and the seller. Missing means 0. */
  readonly points: ReadonlyMap<string, number>;
  /** Units each buyer already holds in this auction (PURCHASED and REFUND_PENDING receipts). */
  readonly held: ReadonlyMap<string, number>;
  /** The seller deleted the auction: no bid can be served, whatever a stale cache admitted. */
  readonly withdrawn?: boolean;
}

interface OutcomeBase {
  readonly receiptId: string;
  readonly buyerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly total: number;
}

export type BidOutcome =
  | (OutcomeBase & { readonly status: 'PURCHASED' })
  | (OutcomeBase & { readonly status: 'FAILED'; readonly reason: FailureReason });

export interface BidSettlement {
  /** One outcome per bid, in the order given (stream order). */
  readonly outcomes: readonly BidOutcome[];
  readonly stockAfter: number;
  readonly unitsSold: number;
  /** Net points change per member; sums to zero. */
  readonly pointDeltas: ReadonlyMap<string, number>;
}

/**
 * Settles bids for one auction in the order given: first accepted, first served.
 * A bid that cannot be served fails with its reason and takes nothing, so a later,
 * smaller or richer bid can still be served. The buyer pays the unitPrice the gateway
 * quoted, which must be the schedule's price at acceptance; a quote made from terms the
 * auction no longer has (an edit raced the gateway's cache) is refused, never re-priced.
 */
export function settleBids(
  auction: AuctionTerms,
  state: AuctionLedgerState,
  bids: readonly QueuedBid[],
): BidSettlement {
  let stock = state.stock;
  const points = new Map(state.points);
  const held = new Map(state.held);
  const deltas = new Map<string, number>();
  const outcomes: BidOutcome[] = [];
  let unitsSold = 0;

  for (const bid of bids) {
    const total = bid.unitPrice * bid.quantity;
    const base = {
      receiptId: bid.receiptId,
      buyerId: bid.buyerId,
      quantity: bid.quantity,
      unitPrice: bid.unitPrice,
      total,
    };
    const reason =
      state.withdrawn === true ? 'AUCTION_NOT_RUNNING' : refusalFor(auction, bid, total, stock, points, held);
    if (reason !== null) {
      outcomes.push({ ...base, status: 'FAILED', reason });
      continue;
    }
    stock -= bid.quantity;
    unitsSold += bid.quantity;
    held.set(bid.buyerId, (held.get(bid.buyerId) ?? 0) + bid.quantity);
    points.set(bid.buyerId, (points.get(bid.buyerId) ?? 0) - total);
    points.set(auction.sellerId, (points.get(auction.sellerId) ?? 0) + total);
    addDelta(deltas, bid.buyerId, -total);
    addDelta(deltas, auction.sellerId, total);
    outcomes.push({ ...base, status: 'PURCHASED' });
  }
  return { outcomes, stockAfter: stock, unitsSold, pointDeltas: deltas };
}

function refusalFor(
  auction: AuctionTerms,
  bid: QueuedBid,
  total: number,
  stock: number,
  points: ReadonlyMap<string, number>,
  held: ReadonlyMap<string, number>,
): FailureReason | null {
  if (!isWithinWindow(auction, bid.acceptedAt)) return 'AUCTION_NOT_RUNNING';
  if (bid.unitPrice !== priceAt(auction, bid.acceptedAt)) return 'AUCTION_NOT_RUNNING';
  if (bid.quantity > stock) return 'SOLD_OUT';
  if ((held.get(bid.buyerId) ?? 0) + bid.quantity > auction.perBuyerLimit) return 'BUYER_LIMIT_EXCEEDED';
  if ((points.get(bid.buyerId) ?? 0) < total) return 'INSUFFICIENT_POINTS';
  return null;
}
