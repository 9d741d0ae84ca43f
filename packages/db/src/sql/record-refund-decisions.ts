import type { Tx } from '../client.ts';

/** What a decided refund request writes on its receipt. Times are epoch ms. */
export interface RefundDecision {
  readonly receiptId: string;
  readonly status: string;
  readonly reason: string | null;
  readonly requestId: string;
  readonly requestedAt: number;
  /** When it was refunded; null keeps the receipt's refunded_at as it is. */
  readonly refundedAt: number | null;
}

/** Records decided refund requests on their receipts in one statement, so a redelivery is seen as done. */
export function recordRefundDecisions(tx: Tx, decisions: readonly RefundDecision[]) {
  const d = decisions;
  return tx`
    update receipts r set status = u.status, failure_reason = u.reason, refund_request_id = u.request_id,
      refunded_at = coalesce('epoch'::timestamptz + u.refunded_ms * interval '1 millisecond', r.refunded_at),
      refund_requested_at = 'epoch'::timestamptz + u.requested_ms * interval '1 millisecond'
    from unnest(${d.map((x) => x.receiptId)}::uuid[], ${d.map((x) => x.status)}::text[], ${d.map((x) => x.reason)}::text[],
                ${d.map((x) => x.refundedAt)}::int8[], ${d.map((x) => x.requestId)}::uuid[],
                ${d.map((x) => x.requestedAt)}::int8[])
      as u(id, status, reason, refunded_ms, request_id, requested_ms)
    where r.id = u.id`;
}
