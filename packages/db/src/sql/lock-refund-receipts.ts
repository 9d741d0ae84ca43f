import type { AuctionFormat, ReceiptStatus } from '@dutch/domain';
import type { Tx } from '../client.ts';

export interface RefundableReceipt {
  readonly id: string;
  readonly buyerId: string;
  readonly status: Exclude<ReceiptStatus, 'PENDING'>;
  readonly format: AuctionFormat;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly total: number;
  /** Set by a uniform close; null before it (and for pay-as-bid and English). */
  readonly finalUnitPrice: number | null;
  readonly rebate: number;
  readonly refundRequestId: string | null;
}

/** Locks the auction's receipts named by refund requests, in id order (no deadlocks). */
export function lockRefundReceipts(tx: Tx, auctionId: string, receiptIds: readonly string[]) {
  return tx<RefundableReceipt[]>`
    select id, buyer_id as "buyerId", status, format, quantity, unit_price as "unitPrice", total,
           final_unit_price as "finalUnitPrice", rebate, refund_request_id as "refundRequestId"
    from receipts where id = any(${[...receiptIds]}::uuid[]) and auction_id = ${auctionId}
    order by id for update`;
}
