import type { AuctionTerms, Millis } from './auction.ts';
import { type DomainError, err, ok, type Result, refuse } from './errors.ts';
import { addDelta } from './point-deltas.ts';
import { isHeld, type ReceiptStatus } from './receipt.ts';

/** The part of a receipt the refund rules look at. */
export interface RefundableReceipt {
  readonly receiptId: string;
  readonly buyerId: string;
  readonly status: ReceiptStatus;
  readonly quantity: number;
  readonly total: number;
}

/**
 * The gateway's check before it queues a refund. Ownership is checked before this
 * (403/404); here only the business rules, which answer 409.
 */
export function checkRefundable(
  receipt: Pick<RefundableReceipt, 'status'>,
  auction: Pick<AuctionTerms, 'endsAt'>,
  now: Millis,
): Result<true, DomainError> {
  if (receipt.status !== 'PURCHASED') {
    return err(refuse('NOT_REFUNDABLE', `Only a PURCHASED receipt can be refunded; this one is ${receipt.status}.`));
  }
  if (now < auction.endsAt) return err(refuse('AUCTION_NOT_ENDED', 'Refunds open when the auction ends.'));
  return ok(true);
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
      readonly total: number;
      readonly buyerId: string;
    }
  /** The seller cannot pay back yet: the receipt returns to PURCHASED with this reason. */
  | { readonly receiptId: string; readonly result: 'SELLER_INSUFFICIENT_POINTS' }
  /**
   * Nothing to do: already refunded, never purchased, or asked too early. Stock and points stay;
   * the receipt only loses the REFUND_PENDING mark a too-early request left (receiptAfterRefund).
   */
  | { readonly receiptId: string; readonly result: 'IGNORED'; readonly why: 'NOT_REFUNDABLE' | 'AUCTION_NOT_ENDED' };

export interface RefundSettlement {
  readonly outcomes: readonly RefundOutcome[];
  readonly stockAfter: number;
  readonly pointDeltas: ReadonlyMap<string, number>;
}

/**
 * Settles refund requests for one auction in order. Points go back from the seller to the
 * buyer; units go back to stock, never above the initial stock.
 */
export function settleRefunds(
  auction: Pick<AuctionTerms, 'sellerId' | 'endsAt' | 'initialStock'>,
  state: { readonly stock: number; readonly points: ReadonlyMap<string, number> },
  requests: readonly RefundRequest[],
): RefundSettlement {
  let stock = state.stock;
  const points = new Map(state.points);
  const deltas = new Map<string, number>();
  const done = new Set<string>();
  const outcomes: RefundOutcome[] = [];

  for (const { receipt, requestedAt } of requests) {
    const { receiptId } = receipt;
    const refundable = isHeld(receipt.status) && !done.has(receiptId);
    if (!refundable) {
      outcomes.push({ receiptId, result: 'IGNORED', why: 'NOT_REFUNDABLE' });
      continue;
    }
    if (requestedAt < auction.endsAt) {
      outcomes.push({ receiptId, result: 'IGNORED', why: 'AUCTION_NOT_ENDED' });
      continue;
    }
    const sellerPoints = points.get(auction.sellerId) ?? 0;
    if (sellerPoints < receipt.total) {
      outcomes.push({ receiptId, result: 'SELLER_INSUFFICIENT_POINTS' });
      continue;
    }
    done.add(receiptId);
    stock = Math.min(auction.initialStock, stock + receipt.quantity);
    points.set(auction.sellerId, sellerPoints - receipt.total);
    points.set(receipt.buyerId, (points.get(receipt.buyerId) ?? 0) + receipt.total);
    addDelta(deltas, auction.sellerId, -receipt.total);
    addDelta(deltas, receipt.buyerId, receipt.total);
    outcomes.push({
      receiptId,
      result: 'REFUNDED',
      quantity: receipt.quantity,
      total: receipt.total,
      buyerId: receipt.buyerId,
    });
  }
  return { outcomes, stockAfter: stock, pointDeltas: deltas };
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
      return { status: 'PURCHASED', failureReason: 'SELLER_INSUFFICIENT_POINTS' };
    case 'IGNORED':
      return outcome.why === 'AUCTION_NOT_ENDED' && before === 'REFUND_PENDING'
        ? { status: 'PURCHASED', failureReason: null }
        : null;
  }
}
