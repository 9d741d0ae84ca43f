import {
  type ReceiptStatus,
  type RefundOutcome,
  type RefundRequest,
  receiptAfterRefund,
  settleRefunds,
} from '@dutch/domain';
import type { DeliveredRefund } from './delivered.ts';
import {
  appendLedger,
  applyPointDeltas,
  type LockedAuction,
  lockMembers,
  saveAuction,
  type Tx,
} from './locked-auction.ts';

interface ReceiptRow {
  readonly id: string;
  readonly buyerId: string;
  readonly status: Exclude<ReceiptStatus, 'PENDING'>;
  readonly quantity: number;
  readonly total: number;
  readonly refundRequestId: string | null;
}

export interface RefundRunResult {
  readonly outcomes: readonly RefundOutcome[];
  /** Requests already decided by an earlier delivery. */
  readonly duplicates: number;
}

/**
 * Settles a run of refund requests for an auction locked in `tx`. Each decided request is
 * recorded on its receipt (refund_request_id, with when it was asked for), so a redelivered
 * request is skipped. The gateway writes nothing here: its REFUND_PENDING mark lives in Redis.
 */
export async function settleRefundRun(
  tx: Tx,
  auction: LockedAuction,
  run: readonly DeliveredRefund[],
  settledAt: number,
): Promise<RefundRunResult> {
  const ids = [...new Set(run.map((entry) => entry.message.receiptId))];
  const receipts = await tx<ReceiptRow[]>`
    select id, buyer_id as "buyerId", status, quantity, total, refund_request_id as "refundRequestId"
    from receipts where id = any(${ids}::uuid[]) and auction_id = ${auction.id}
    order by id for update`;
  const byId = new Map(receipts.map((row) => [row.id, row]));
  const points = await lockMembers(tx, [auction.terms.sellerId, ...receipts.map((row) => row.buyerId)]);

  const requests: RefundRequest[] = [];
  const requestIds: string[] = [];
  const requestedAt: number[] = [];
  let duplicates = 0;
  for (const { message } of run) {
    const row = byId.get(message.receiptId);
    if (row === undefined || row.refundRequestId === message.requestId) {
      duplicates++;
      continue;
    }
    requests.push({
      receipt: {
        receiptId: row.id,
        buyerId: row.buyerId,
        status: row.status,
        quantity: row.quantity,
        total: row.total,
      },
      requestedAt: message.requestedAt,
    });
    requestIds.push(message.requestId);
    requestedAt.push(message.requestedAt);
  }
  if (requests.length === 0) return { outcomes: [], duplicates };

  const settlement = settleRefunds(auction.terms, { stock: auction.stock, points }, requests);
  auction.stock = settlement.stockAfter;

  // The last decision per receipt is what the row ends up with.
  const updates = new Map<
    string,
    { status: string; reason: string | null; refunded: boolean; requestId: string; requestedAt: number }
  >();
  settlement.outcomes.forEach((outcome, i) => {
    const before = byId.get(outcome.receiptId)?.status;
    const after = before === undefined ? null : receiptAfterRefund(outcome, before);
    if (after === null) return;
    updates.set(outcome.receiptId, {
      status: after.status,
      reason: after.failureReason,
      refunded: outcome.result === 'REFUNDED',
      requestId: requestIds[i] as string,
      requestedAt: requestedAt[i] as number,
    });
  });

  const refunded = settlement.outcomes.filter((x) => x.result === 'REFUNDED');
  const u = [...updates.entries()];
  const writes = [saveAuction(tx, auction)];
  if (u.length > 0) {
    writes.push(tx`
      update receipts r set status = u.status, failure_reason = u.reason, refund_request_id = u.request_id,
        refunded_at = coalesce('epoch'::timestamptz + u.refunded_ms * interval '1 millisecond', r.refunded_at),
        refund_requested_at = 'epoch'::timestamptz + u.requested_ms * interval '1 millisecond'
      from unnest(${u.map(([id]) => id)}::uuid[], ${u.map(([, x]) => x.status)}::text[], ${u.map(([, x]) => x.reason)}::text[],
                  ${u.map(([, x]) => (x.refunded ? settledAt : null))}::int8[], ${u.map(([, x]) => x.requestId)}::uuid[],
                  ${u.map(([, x]) => x.requestedAt)}::int8[])
        as u(id, status, reason, refunded_ms, request_id, requested_ms)
      where r.id = u.id`);
  }
  if (refunded.length > 0) {
    writes.push(applyPointDeltas(tx, settlement.pointDeltas));
    writes.push(
      appendLedger(
        tx,
        'refund',
        refunded.map((x) => ({ from: auction.terms.sellerId, to: x.buyerId, amount: x.total, receiptId: x.receiptId })),
      ),
    );
  }
  await Promise.all(writes);
  return { outcomes: settlement.outcomes, duplicates };
}
