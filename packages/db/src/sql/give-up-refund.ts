import type { ReceiptAfterGivingUp } from '@dutch/domain';
import type { Sql } from '../client.ts';

/**
 * Writes what the domain decided a given-up refund becomes (receiptAfterGivingUp), and records
 * the request as decided, so a retried give-up of the same request changes nothing.
 */
export function giveUpRefund(
  sql: Sql,
  refund: { readonly receiptId: string; readonly requestId: string },
  after: ReceiptAfterGivingUp,
) {
  const from = after.onlyFrom === null ? sql`true` : sql`status = any(${[...after.onlyFrom]}::text[])`;
  return sql`
    update receipts set status = ${after.status}, failure_reason = ${after.failureReason},
      refund_request_id = ${refund.requestId}
    where id = ${refund.receiptId} and ${from}
      and refund_request_id is distinct from ${refund.requestId}`;
}
