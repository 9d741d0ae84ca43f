import { type NotificationDraft, receiptDedupeKey, refundFailedDedupeKey, uniqueDrafts } from './notification.ts';
import type { BidOutcome } from './settle-bids.ts';
import type { EnglishSettlement } from './settle-english-bids.ts';
import type { RefundableReceipt, RefundOutcome } from './settle-refunds.ts';

/** What every builder needs of the auction: where the notification points, and its title for the words. */
export interface NotifiedAuction {
  readonly id: string;
  readonly title: string;
}

/**
 * One `receipt` notification per decided Dutch bid, to its buyer: PURCHASED or FAILED (a retry
 * Redis forgot, DUPLICATE_REQUEST, included: its receipt exists and failed). Data: title, status,
 * quantity, unitPrice; PURCHASED adds total; FAILED adds failureReason and duplicateOf (or null).
 */
export function notificationsOfBids(auction: NotifiedAuction, outcomes: readonly BidOutcome[]): NotificationDraft[] {
  return uniqueDrafts(
    outcomes.map((outcome) => {
      const base = { title: auction.title, quantity: outcome.quantity, unitPrice: outcome.unitPrice };
      const data =
        outcome.status === 'PURCHASED'
          ? { ...base, status: outcome.status, total: outcome.total }
          : {
              ...base,
              status: outcome.status,
              failureReason: outcome.reason,
              duplicateOf: outcome.duplicateOf ?? null,
            };
      return receiptDraft(auction, outcome.buyerId, outcome.receiptId, outcome.status, data);
    }),
  );
}

/**
 * English: a FAILED receipt (data: title, status, amount, failureReason, duplicateOf), and each
 * receipt outbid by this run, settled in it or before (data: title, status, amount, highBid: the
 * amount that beat it, byYou: the buyer beat themselves by raising). A LEADING receipt is not
 * final, so it says nothing yet: the close or a higher bid will.
 */
export function notificationsOfEnglishBids(
  auction: NotifiedAuction,
  settlement: EnglishSettlement,
): NotificationDraft[] {
  const drafts: NotificationDraft[] = [];
  for (const outcome of settlement.outcomes) {
    if (outcome.status !== 'FAILED') continue;
    const data = {
      title: auction.title,
      status: outcome.status,
      amount: outcome.amount,
      failureReason: outcome.reason,
      duplicateOf: outcome.duplicateOf ?? null,
    };
    drafts.push(receiptDraft(auction, outcome.buyerId, outcome.receiptId, 'FAILED', data));
  }
  // Every receipt that led, in order: each was outbid by the next one (the earlier runs' lead first).
  const leaders = [...settlement.outbid, ...settlement.outcomes.filter((o) => o.status !== 'FAILED')];
  leaders.forEach((leader, i) => {
    const next = leaders[i + 1];
    if (next === undefined) return;
    const data = {
      title: auction.title,
      status: 'OUTBID',
      amount: leader.amount,
      highBid: next.amount,
      byYou: next.buyerId === leader.buyerId,
    };
    drafts.push(receiptDraft(auction, leader.buyerId, leader.receiptId, 'OUTBID', data));
  });
  return uniqueDrafts(drafts);
}

/** A refund request as the consumer decided it: its stream request id, and whose receipt it was. */
export interface NotifiedRefundRequest {
  /** The request's id (the stream message's requestId): a failed refund can be asked for again. */
  readonly requestId: string;
  readonly receipt: Pick<RefundableReceipt, 'receiptId' | 'buyerId' | 'quantity'>;
}

/**
 * `requests[i]` is the request `outcomes[i]` decided (settleRefunds answers one outcome per request,
 * in order). REFUNDED (data: title, status, quantity, total: the points given back) or a refund the
 * seller could not pay (status REFUND_FAILED, quantity, failureReason); an IGNORED request changed
 * nothing the buyer did not already know, and says nothing.
 */
export function notificationsOfRefunds(
  auction: NotifiedAuction,
  outcomes: readonly RefundOutcome[],
  requests: readonly NotifiedRefundRequest[],
): NotificationDraft[] {
  if (outcomes.length !== requests.length) {
    throw new Error(`notificationsOfRefunds: ${outcomes.length} outcomes for ${requests.length} requests`);
  }
  const drafts: NotificationDraft[] = [];
  outcomes.forEach((outcome, i) => {
    const request = requests[i] as NotifiedRefundRequest;
    if (request.receipt.receiptId !== outcome.receiptId) {
      throw new Error(
        `notificationsOfRefunds: outcome ${i} is for ${outcome.receiptId}, not ${request.receipt.receiptId}`,
      );
    }
    if (outcome.result === 'REFUNDED') {
      const data = { title: auction.title, status: 'REFUNDED', quantity: outcome.quantity, total: outcome.total };
      drafts.push(receiptDraft(auction, outcome.buyerId, outcome.receiptId, 'REFUNDED', data));
    } else if (outcome.result === 'SELLER_INSUFFICIENT_POINTS') {
      drafts.push({
        memberId: request.receipt.buyerId,
        kind: 'receipt',
        auctionId: auction.id,
        receiptId: outcome.receiptId,
        data: {
          title: auction.title,
          status: 'REFUND_FAILED',
          quantity: request.receipt.quantity,
          failureReason: outcome.result,
        },
        dedupeKey: refundFailedDedupeKey(outcome.receiptId, request.requestId),
      });
    }
  });
  return uniqueDrafts(drafts);
}

/** A `receipt` notification keyed by the status the receipt reached. */
export function receiptDraft(
  auction: NotifiedAuction,
  memberId: string,
  receiptId: string,
  status: Parameters<typeof receiptDedupeKey>[1],
  data: NotificationDraft['data'],
): NotificationDraft {
  return {
    memberId,
    kind: 'receipt',
    auctionId: auction.id,
    receiptId,
    data,
    dedupeKey: receiptDedupeKey(receiptId, status),
  };
}
