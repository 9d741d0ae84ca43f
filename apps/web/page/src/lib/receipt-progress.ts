import type { Receipt } from '@dutch/contract';
import { isRefundable, type ReceiptStatus } from '@dutch/domain';

/**
 * A new bid is done once settled: anything but PENDING (Dutch: PURCHASED or FAILED; English:
 * LEADING or FAILED, and later OUTBID, WON or RESERVE_NOT_MET by other bids and the close).
 */
export function isBidSettled(receipt: Pick<Receipt, 'status'>): boolean {
  return receipt.status !== 'PENDING';
}

/**
 * Follows a refund the buyer just asked for. Right after the 202 the receipt may still read
 * PURCHASED (English: WON); it is done at REFUNDED, or back at that status after REFUND_PENDING
 * (refused, with a failureReason). Until then the page shows REFUND_PENDING, which the 202 already promised.
 */
export function createRefundProgress(alreadyPending = false) {
  let seenPending = alreadyPending;
  return {
    isDone(receipt: Pick<Receipt, 'status'>): boolean {
      if (receipt.status === 'REFUND_PENDING') seenPending = true;
      return receipt.status === 'REFUNDED' || (seenPending && isRefundable(receipt.status));
    },
    shownStatus(receipt: Pick<Receipt, 'status'>): ReceiptStatus {
      return isRefundable(receipt.status) && !seenPending ? 'REFUND_PENDING' : receipt.status;
    },
  };
}

/** Which statuses show a Refund button (disabled until the rules allow it): the ones that can reach a refund. */
export function showsRefundButton(receipt: Pick<Receipt, 'status' | 'format'>): boolean {
  if (receipt.status === 'REFUND_PENDING' || isRefundable(receipt.status)) return true;
  // A Dutch bid being settled is almost always a purchase: the button is there, disabled, from the start.
  return receipt.format === 'dutch' && receipt.status === 'PENDING';
}
