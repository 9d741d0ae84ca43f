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
  /** The request's Idempotency-Key, and for how long after acceptance it names this bid. */
  readonly idempotency?: IdempotencyClaim;
}

export interface IdempotencyClaim {
  readonly key: string;
  /** The gateway's IDEMPOTENCY_TTL: a later request with the key inside it is a retry. */
  readonly windowMs: number;
}

/** A settled receipt that keeps its buyer's Idempotency-Key (the first made for it). */
export interface KeyedReceipt {
  readonly receiptId: string;
  readonly acceptedAt: Millis;
}

/** Where a buyer's Idempotency-Key is looked up: keys are scoped per buyer. */
export function idempotencyScope(buyerId: string, key: string): string {
  // A space cannot occur in a key (visible ASCII only), so scopes of different pairs differ.
  return `${buyerId} ${key}`;
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
  /**
   * The latest settled receipt keeping each Idempotency-Key the bids carry, by
   * idempotencyScope(). Settled receipts outlive Redis, so a retry Redis forgot is still known.
   */
  readonly keyedReceipts?: ReadonlyMap<string, KeyedReceipt>;
}

interface OutcomeBase {
  readonly receiptId: string;
  readonly buyerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly total: number;
  /** The Idempotency-Key this receipt keeps: set on the first receipt for a key, never on its retries. */
  readonly idempotencyKey?: string;
}

export type BidOutcome =
  | (OutcomeBase & { readonly status: 'PURCHASED' })
  | (OutcomeBase & {
      readonly status: 'FAILED';
      readonly reason: FailureReason;
      /** DUPLICATE_REQUEST: the first receipt made for the same buyer and Idempotency-Key. */
      readonly duplicateOf?: string;
    });

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
 *
 * A bid whose buyer and Idempotency-Key already have a receipt accepted within the key's
 * window, settled before or earlier in these bids, is a retry the gateway no longer recognised
 * (Redis lost its record): it fails DUPLICATE_REQUEST, pointing at that first receipt, and takes
 * nothing. This is race-free because the caller settles an auction's bids one batch at a time
 * under the auction's row lock, and a true retry carries the same body to the same auction, so
 * the first receipt is either committed before this batch or earlier in it.
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
  const keyed = new Map(state.keyedReceipts);
  const outcomes: BidOutcome[] = [];
  let unitsSold = 0;

  for (const bid of bids) {
    const total = bid.unitPrice * bid.quantity;
    const base: OutcomeBase = {
      receiptId: bid.receiptId,
      buyerId: bid.buyerId,
      quantity: bid.quantity,
      unitPrice: bid.unitPrice,
      total,
    };
    const duplicateOf = firstReceiptOf(bid, keyed);
    if (duplicateOf !== null) {
      outcomes.push({ ...base, status: 'FAILED', reason: 'DUPLICATE_REQUEST', duplicateOf });
      continue;
    }
    const decided = bid.idempotency === undefined ? base : { ...base, idempotencyKey: bid.idempotency.key };
    if (bid.idempotency !== undefined) keyed.set(idempotencyScope(bid.buyerId, bid.idempotency.key), bid);
    const reason =
      state.withdrawn === true ? 'AUCTION_NOT_RUNNING' : refusalFor(auction, bid, total, stock, points, held);
    if (reason !== null) {
      outcomes.push({ ...decided, status: 'FAILED', reason });
      continue;
    }
    stock -= bid.quantity;
    unitsSold += bid.quantity;
    held.set(bid.buyerId, (held.get(bid.buyerId) ?? 0) + bid.quantity);
    points.set(bid.buyerId, (points.get(bid.buyerId) ?? 0) - total);
    points.set(auction.sellerId, (points.get(auction.sellerId) ?? 0) + total);
    addDelta(deltas, bid.buyerId, -total);
    addDelta(deltas, auction.sellerId, total);
    outcomes.push({ ...decided, status: 'PURCHASED' });
  }
  return { outcomes, stockAfter: stock, unitsSold, pointDeltas: deltas };
}

/** The receipt this bid's Idempotency-Key already names within its window, if any. */
function firstReceiptOf(bid: QueuedBid, keyed: ReadonlyMap<string, KeyedReceipt>): string | null {
  if (bid.idempotency === undefined) return null;
  const first = keyed.get(idempotencyScope(bid.buyerId, bid.idempotency.key));
  if (first === undefined || bid.acceptedAt - first.acceptedAt >= bid.idempotency.windowMs) return null;
  return first.receiptId;
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
