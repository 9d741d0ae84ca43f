import {
  appendLedger,
  applyBalanceDeltas,
  lockMembers,
  lockRefundReceipts,
  type RefundDecision,
  recordRefundDecisions,
  saveAuction,
  type Tx,
} from '@dutch/db';
import {
  type LedgerMove,
  type NotificationDraft,
  notificationsOfRefunds,
  type RefundAuction,
  type RefundOutcome,
  type RefundRequest,
  receiptAfterRefund,
  settleRefunds,
} from '@dutch/domain';
import type { DeliveredRefund } from './delivered.ts';
import type { OwnedAuction } from './lock-owned-auction.ts';

export interface RefundRunResult {
  readonly outcomes: readonly RefundOutcome[];
  /** Requests already decided by an earlier delivery. */
  readonly duplicates: number;
  /** The ledger rows written: per refund, a uniform seller's release (before the close), then the refund. */
  readonly moves: readonly LedgerMove[];
  /** REFUNDED, or a refund the seller could not pay, to the buyers; stored in the same transaction. */
  readonly notifications: readonly NotificationDraft[];
}

/**
 * Settles a run of refund requests for an auction locked in `tx`. Each decided request is
 * recorded on its receipt (refund_request_id, with when it was asked for), so a redelivered
 * request is skipped. The gateway writes nothing here: its REFUND_PENDING mark lives in Redis.
 */
export async function settleRefundRun(
  tx: Tx,
  auction: OwnedAuction,
  run: readonly DeliveredRefund[],
  settledAt: number,
): Promise<RefundRunResult> {
  const ids = [...new Set(run.map((entry) => entry.message.receiptId))];
  const receipts = await lockRefundReceipts(tx, auction.id, ids);
  const byId = new Map(receipts.map((row) => [row.id, row]));
  const points = await lockMembers(tx, [auction.terms.sellerId, ...receipts.map((row) => row.buyerId)]);

  const pending = collectRefundRequests(run, byId);
  if (pending.requests.length === 0) {
    return { outcomes: [], duplicates: pending.duplicates, moves: [], notifications: [] };
  }

  const settlement = settleRefunds(refundAuctionOf(auction), { stock: auction.stock, points }, pending.requests);
  auction.stock = settlement.stockAfter;
  const decisions = decideRefundedReceipts(settlement.outcomes, byId, pending, settledAt);
  await writeRefundRun(tx, auction, settlement, decisions);
  // settleRefunds answers one outcome per request, in order: requestIds[i] is outcomes[i]'s request.
  const requests = pending.requests.map(({ receipt }, i) => ({ receipt, requestId: pending.requestIds[i] as string }));
  const notifications = notificationsOfRefunds(auction, settlement.outcomes, requests);
  return { outcomes: settlement.outcomes, duplicates: pending.duplicates, moves: settlement.moves, notifications };
}

/**
 * What the refund rules read of the auction: its current end (an English one's, extensions
 * included), and whether a uniform seller's takings are still held (before the close).
 */
function refundAuctionOf(auction: OwnedAuction): RefundAuction {
  if (auction.format === 'english') {
    return { sellerId: auction.terms.sellerId, endsAt: auction.lead.endsAt, initialStock: 1 };
  }
  const { sellerId, endsAt, initialStock, pricing } = auction.terms;
  return { sellerId, endsAt, initialStock, sellerTakingsHeld: pricing === 'uniform' && auction.closedAt === null };
}

type LockedRefundReceipt = Awaited<ReturnType<typeof lockRefundReceipts>>[number];

interface PendingRefunds {
  readonly requests: RefundRequest[];
  readonly requestIds: string[];
  readonly requestedAt: number[];
  duplicates: number;
}

/** Turns the run into domain requests, skipping those an earlier delivery already decided. */
function collectRefundRequests(
  run: readonly DeliveredRefund[],
  byId: ReadonlyMap<string, LockedRefundReceipt>,
): PendingRefunds {
  const pending: PendingRefunds = { requests: [], requestIds: [], requestedAt: [], duplicates: 0 };
  for (const { message } of run) {
    const row = byId.get(message.receiptId);
    if (row === undefined || row.refundRequestId === message.requestId) {
      pending.duplicates++;
      continue;
    }
    pending.requests.push({
      receipt: {
        receiptId: row.id,
        buyerId: row.buyerId,
        status: row.status,
        quantity: row.quantity,
        total: row.total,
        rebate: row.rebate,
      },
      requestedAt: message.requestedAt,
    });
    pending.requestIds.push(message.requestId);
    pending.requestedAt.push(message.requestedAt);
  }
  return pending;
}

/** The last decision per receipt is what the row ends up with. */
function decideRefundedReceipts(
  outcomes: readonly RefundOutcome[],
  byId: ReadonlyMap<string, LockedRefundReceipt>,
  pending: PendingRefunds,
  settledAt: number,
): Map<string, RefundDecision> {
  const decisions = new Map<string, RefundDecision>();
  outcomes.forEach((outcome, i) => {
    const before = byId.get(outcome.receiptId)?.status;
    const after = before === undefined ? null : receiptAfterRefund(outcome, before);
    if (after === null) return;
    decisions.set(outcome.receiptId, {
      receiptId: outcome.receiptId,
      status: after.status,
      reason: after.failureReason,
      refundedAt: outcome.result === 'REFUNDED' ? settledAt : null,
      requestId: pending.requestIds[i] as string,
      requestedAt: pending.requestedAt[i] as number,
    });
  });
  return decisions;
}

/** Issues the run's writes together, as before: one round of concurrent statements. */
async function writeRefundRun(
  tx: Tx,
  auction: OwnedAuction,
  settlement: ReturnType<typeof settleRefunds>,
  decisions: ReadonlyMap<string, RefundDecision>,
): Promise<void> {
  const writes: Promise<unknown>[] = [saveAuction(tx, auction)];
  if (decisions.size > 0) writes.push(recordRefundDecisions(tx, [...decisions.values()]));
  if (settlement.moves.length > 0) {
    writes.push(appendLedger(tx, settlement.moves));
    writes.push(applyBalanceDeltas(tx, { points: settlement.pointDeltas, held: settlement.heldDeltas }));
  }
  await Promise.all(writes);
}
