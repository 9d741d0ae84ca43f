import type { AuctionTerms, Millis } from './auction.ts';
import type { FailureReason } from './errors.ts';
import { claimIdempotencyKey, type KeyedBid, type KeyedReceipt } from './idempotency.ts';
import { balanceDeltasOf, type LedgerMove } from './ledger.ts';
import { priceAt } from './price-schedule.ts';
import { isWithinWindow } from './status.ts';

/** A bid the gateway admitted and queued; settlement decides it. */
export interface QueuedBid extends KeyedBid {
  readonly quantity: number;
  readonly unitPrice: number;
}

/** How an auction was closed: by its end, or at once when it sold out. */
export interface AuctionClosed {
  readonly by: 'end' | 'sold_out';
}

/**
 * How a Dutch auction closed at `closedAt` (null: still open) was closed, for the bids that land
 * after it: before its end only a sell-out closes one.
 */
export function closedStateOf(terms: Pick<AuctionTerms, 'endsAt'>, closedAt: Millis | null): AuctionClosed | null {
  if (closedAt === null) return null;
  return { by: closedAt < terms.endsAt ? 'sold_out' : 'end' };
}

/** What settlement needs to know, read under the auction's lock. */
export interface AuctionLedgerState {
  readonly stock: number;
  /** Free points of every member the batch touches: each buyer and the seller. Missing means 0. */
  readonly points: ReadonlyMap<string, number>;
  /** Units each buyer already holds in this auction (PURCHASED and REFUND_PENDING receipts). */
  readonly held: ReadonlyMap<string, number>;
  /** The seller deleted the auction: no bid can be served, whatever a stale cache admitted. */
  readonly withdrawn?: boolean;
  /** The auction's close has been settled: nothing but refunds settles after it. */
  readonly closed?: AuctionClosed | null;
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
  /** The ledger rows, in order: a purchase per PURCHASED bid, followed for uniform pricing by the seller's hold. */
  readonly moves: readonly LedgerMove[];
  /** Net change of free points per member (a uniform seller nets 0: the takings go to held). */
  readonly pointDeltas: ReadonlyMap<string, number>;
  /** Net change of held points per member (only a uniform seller's takings). */
  readonly heldDeltas: ReadonlyMap<string, number>;
}

/**
 * Settles bids for one auction in the order given: first accepted, first served.
 * A bid that cannot be served fails with its reason and takes nothing, so a later,
 * smaller or richer bid can still be served. The buyer pays the unitPrice the gateway
 * quoted, which must be the schedule's price at acceptance; a quote made from terms the
 * auction no longer has (an edit raced the gateway's cache) is refused, never re-priced.
 *
 * Uniform pricing: the seller's takings on each purchase are held until the close, which pays
 * the rebates out of them; otherwise a seller could spend what they will owe the buyers.
 *
 * A bid whose buyer and Idempotency-Key already have a receipt accepted within the key's
 * window, settled before or earlier in these bids, is a retry the gateway no longer recognised
 * (Redis lost its record): it fails DUPLICATE_REQUEST, pointing at that first receipt, and takes
 * nothing (see claimIdempotencyKey for why this is race-free).
 */
export function settleBids(
  auction: AuctionTerms,
  state: AuctionLedgerState,
  bids: readonly QueuedBid[],
): BidSettlement {
  let stock = state.stock;
  const points = new Map(state.points);
  const held = new Map(state.held);
  const keyed = new Map(state.keyedReceipts);
  const outcomes: BidOutcome[] = [];
  const moves: LedgerMove[] = [];
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
    const duplicateOf = claimIdempotencyKey(bid, keyed);
    if (duplicateOf !== null) {
      outcomes.push({ ...base, status: 'FAILED', reason: 'DUPLICATE_REQUEST', duplicateOf });
      continue;
    }
    const decided = bid.idempotency === undefined ? base : { ...base, idempotencyKey: bid.idempotency.key };
    const reason = closedRefusal(state, bid, stock) ?? refusalFor(auction, bid, total, stock, points, held);
    if (reason !== null) {
      outcomes.push({ ...decided, status: 'FAILED', reason });
      continue;
    }
    stock -= bid.quantity;
    unitsSold += bid.quantity;
    held.set(bid.buyerId, (held.get(bid.buyerId) ?? 0) + bid.quantity);
    points.set(bid.buyerId, (points.get(bid.buyerId) ?? 0) - total);
    moves.push(...purchaseMoves(auction, bid, total));
    // Under uniform pricing the seller's free points do not move (the takings are held at once).
    if (auction.pricing !== 'uniform') points.set(auction.sellerId, (points.get(auction.sellerId) ?? 0) + total);
    outcomes.push({ ...decided, status: 'PURCHASED' });
  }
  const deltas = balanceDeltasOf(moves);
  return { outcomes, stockAfter: stock, unitsSold, moves, pointDeltas: deltas.points, heldDeltas: deltas.held };
}

/** The ledger rows of one purchase: buyer pays seller; a uniform seller holds the takings at once. */
function purchaseMoves(auction: AuctionTerms, bid: QueuedBid, total: number): LedgerMove[] {
  const { sellerId } = auction;
  const purchase: LedgerMove = {
    kind: 'purchase',
    from: bid.buyerId,
    to: sellerId,
    amount: total,
    receiptId: bid.receiptId,
  };
  if (auction.pricing !== 'uniform') return [purchase];
  return [purchase, { kind: 'hold', from: sellerId, to: sellerId, amount: total, receiptId: bid.receiptId }];
}

/** Withdrawn or closed auctions serve nothing; a sell-out close says SOLD_OUT to bids it cannot serve. */
function closedRefusal(state: AuctionLedgerState, bid: QueuedBid, stock: number): FailureReason | null {
  if (state.withdrawn === true) return 'AUCTION_NOT_RUNNING';
  if (state.closed === undefined || state.closed === null) return null;
  return state.closed.by === 'sold_out' && bid.quantity > stock ? 'SOLD_OUT' : 'AUCTION_NOT_RUNNING';
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
