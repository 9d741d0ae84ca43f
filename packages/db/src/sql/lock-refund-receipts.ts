import type { ReceiptStatus } from '@dutch/domain';
import type { Tx } from '../client.ts';

export interface RefundableReceipt {
  readonly id: string;
  readonly buyerId: string;
  readonly status: Exclude<ReceiptStatus, 'PENDING'>;
  readonly quantity: number;
  readonly total: number;
  readonly refundRequestId: string | null;
}

/** Locks the auction's receipts named by refund requests, in id order (no deadlocks). */
export function lockRefundReceipts(tx: Tx, auctionId: string, receiptIds: readonly string[]) {
  return tx<RefundableReceipt[]>`
    select id, buyer_id as "buyerId", status, quantity, total, refund_request_id as "refundRequestId"
    from receipts where id = any(${[...receiptIds]}::uuid[]) and auction_id = ${auctionId}
    order by id for update`;
}
