import type { AuctionTerms, Millis } from './auction.ts';
import { type DomainError, err, ok, type Result, refuse } from './errors.ts';
import { balanceDeltasOf, type LedgerMove } from './ledger.ts';
import { isRefundable, REFUNDABLE_STATUSES, type ReceiptStatus } from './receipt.ts';

/** The part of a receipt the refund rules look at. */
export interface RefundableReceipt {
  readonly receiptId: string;
  readonly buyerId: string;
  readonly status: ReceiptStatus;
  /** 1 for an English receipt. */
  readonly quantity: number;
  /** What the buyer paid at settlement (English: the amount). */
  readonly total: number;
  /** Points already given back by a uniform close; 0 (the default) before the close and for other auctions. */
  readonly rebate?: number;
}

/**
 * The gateway's check before it queues a refund. Ownership is checked before this
 * (403/404); here only the business rules, which answer 409. `endsAt` is the CURRENT end
 * (an English auction's extensions included).
 */
export function checkRefundable(
  receipt: Pick<RefundableReceipt, 'status'>,
  auction: Pick<AuctionTerms, 'endsAt'>,
  now: Millis,
): Result<true, DomainError> {
  if (!isRefundable(receipt.status)) {
    const allowed = REFUNDABLE_STATUSES.join(' or ');
    return err(refuse('NOT_REFUNDABLE', `Only a ${allowed} receipt can be refunded; this one is ${receipt.status}.`));
  }
  if (now < auction.endsAt) return err(refuse('AUCTION_NOT_ENDED', 'Refunds open when the auction ends.'));
  return ok(true);
}

/** What the refund rules read of the auction. */
export interface RefundAuction extends Pick<AuctionTerms, 'sellerId' | 'endsAt' | 'initialStock'> {
  /**
   * True for a uniform Dutch auction not closed yet: each PURCHASED receipt's total still sits in
   * the seller's held points (settleBids holds it), so a refund releases it first and is always
   * payable. False or left out otherwise: the refund is paid from the seller's free points.
   */
  readonly sellerTakingsHeld?: boolean;
}

export interface RefundRequest {
  readonly receipt: RefundableReceipt;
  /** When the gateway accepted the request, by its clock. */
  readonly requestedAt: Millis;
}

export type RefundOutcome =
  | {
      readonly receiptId: string;
      readonly result: 'REFUNDED';
      readonly quantity: number;
      /** The points given back: finalUnitPrice * quantity, i.e. total - rebate. */
      readonly total: number;
      readonly buyerId: string;
    }
  /** The seller cannot pay back yet: the receipt returns to PURCHASED (or WON) with this reason. */
  | { readonly receiptId: string; readonly result: 'SELLER_INSUFFICIENT_POINTS' }
  /**
   * Nothing to do: already refunded, never purchased, or asked too early. Stock and points stay;
   * the receipt only loses the REFUND_PENDING mark a too-early request left (receiptAfterRefund).
   */
  | { readonly receiptId: string; readonly result: 'IGNORED'; readonly why: 'NOT_REFUNDABLE' | 'AUCTION_NOT_ENDED' };

export interface RefundSettlement {
  readonly outcomes: readonly RefundOutcome[];
  readonly stockAfter: number;
  /** Ledger rows, in order: per refund, the seller's release (when takings are held), then the refund. */
  readonly moves: readonly LedgerMove[];
  /** Net change of free points per member. */
  readonly pointDeltas: ReadonlyMap<string, number>;
  /** Net change of held points per member (the seller's, when takings are held). */
  readonly heldDeltas: ReadonlyMap<string, number>;
}

/**
 * Settles refund requests for one auction in order. Points go back from the seller to the
 * buyer (what the buyer finally paid: total - rebate); units go back to stock, never above the
 * initial stock. REFUND_PENDING is accepted as a PURCHASED receipt that rows written by earlier
 * versions marked.
 */
export function settleRefunds(
  auction: RefundAuction,
  state: { readonly stock: number; readonly points: ReadonlyMap<string, number> },
  requests: readonly RefundRequest[],
): RefundSettlement {
  let stock = state.stock;
  const points = new Map(state.points);
  const done = new Set<string>();
  const outcomes: RefundOutcome[] = [];
  const moves: LedgerMove[] = [];

  for (const { receipt, requestedAt } of requests) {
    const { receiptId } = receipt;
    const refundable = (isRefundable(receipt.status) || receipt.status === 'REFUND_PENDING') && !done.has(receiptId);
    if (!refundable) {
      outcomes.push({ receiptId, result: 'IGNORED', why: 'NOT_REFUNDABLE' });
      continue;
    }
    if (requestedAt < auction.endsAt) {
      outcomes.push({ receiptId, result: 'IGNORED', why: 'AUCTION_NOT_ENDED' });
      continue;
    }
    const amount = receipt.total - (receipt.rebate ?? 0);
    const sellerPoints = points.get(auction.sellerId) ?? 0;
    const released = auction.sellerTakingsHeld === true ? receipt.total : 0;
    if (sellerPoints + released < amount) {
      outcomes.push({ receiptId, result: 'SELLER_INSUFFICIENT_POINTS' });
      continue;
    }
    done.add(receiptId);
    moves.push(...refundMoves(auction, receipt, amount));
    stock = Math.min(auction.initialStock, stock + receipt.quantity);
    points.set(auction.sellerId, sellerPoints + released - amount);
    points.set(receipt.buyerId, (points.get(receipt.buyerId) ?? 0) + amount);
    outcomes.push({
      receiptId,
      result: 'REFUNDED',
      quantity: receipt.quantity,
      total: amount,
      buyerId: receipt.buyerId,
    });
  }
  const deltas = balanceDeltasOf(moves);
  return { outcomes, stockAfter: stock, moves, pointDeltas: deltas.points, heldDeltas: deltas.held };
}

/** A refund's ledger rows: the release of the seller's hold on the receipt comes first, so the refund is covered. */
function refundMoves(auction: RefundAuction, receipt: RefundableReceipt, amount: number): LedgerMove[] {
  const { sellerId } = auction;
  const refund: LedgerMove = {
    kind: 'refund',
    from: sellerId,
    to: receipt.buyerId,
    amount,
    receiptId: receipt.receiptId,
  };
  if (auction.sellerTakingsHeld !== true) return [refund];
  const release: LedgerMove = {
    kind: 'release',
    from: sellerId,
    to: sellerId,
    amount: receipt.total,
    receiptId: receipt.receiptId,
  };
  return [release, refund];
}

/** What a refund outcome writes on its receipt. */
export interface ReceiptAfterRefund {
  readonly status: ReceiptStatus;
  readonly failureReason: 'SELLER_INSUFFICIENT_POINTS' | null;
}

/**
 * The receipt's status and reason after `outcome`, given its status before; null when the
 * receipt stays as it is. Gateways now keep the REFUND_PENDING mark in Redis, but rows written by
 * earlier versions may still say REFUND_PENDING in Postgres: a refusal must take that mark away
 * too, or such a receipt would wait for nothing.
 */
export function receiptAfterRefund(outcome: RefundOutcome, before: ReceiptStatus): ReceiptAfterRefund | null {
  switch (outcome.result) {
    case 'REFUNDED':
      return { status: 'REFUNDED', failureReason: null };
    case 'SELLER_INSUFFICIENT_POINTS':
      // A won English lot stays WON; a Dutch purchase (or a legacy REFUND_PENDING row) is PURCHASED.
      return { status: before === 'WON' ? 'WON' : 'PURCHASED', failureReason: 'SELLER_INSUFFICIENT_POINTS' };
    case 'IGNORED':
      return outcome.why === 'AUCTION_NOT_ENDED' && before === 'REFUND_PENDING'
        ? { status: 'PURCHASED', failureReason: null }
        : null;
  }
}
