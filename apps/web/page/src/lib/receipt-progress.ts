import type { Receipt } from '@dutch/contract';
import { FINAL_STATUSES, type ReceiptStatus } from '@dutch/domain';

/** A new bid is done once settled: PURCHASED or FAILED. */
export function isBidSettled(receipt: Pick<Receipt, 'status'>): boolean {
  return FINAL_STATUSES.includes(receipt.status);
}

/**
 * Follows a refund the buyer just asked for. Right after the 202 the receipt may still read
 * PURCHASED; it is done at REFUNDED, or at PURCHASED again after REFUND_PENDING (refused, with
 * a failureReason). Until then the page shows REFUND_PENDING, which the 202 already promised.
 */
export function createRefundProgress(alreadyPending = false) {
  let seenPending = alreadyPending;
  return {
    isDone(receipt: Pick<Receipt, 'status'>): boolean {
      if (receipt.status === 'REFUND_PENDING') seenPending = true;
      return receipt.status === 'REFUNDED' || (seenPending && receipt.status === 'PURCHASED');
    },
    shownStatus(receipt: Pick<Receipt, 'status'>): ReceiptStatus {
      return receipt.status === 'PURCHASED' && !seenPending ? 'REFUND_PENDING' : receipt.status;
    },
  };
}
