import { HELD_STATUSES, type ReceiptStatus } from './receipt.ts';

/** What the consumer gave up on after too many failed deliveries. */
export type GivenUpKind = 'bid' | 'refund';

/** What a given-up entry writes on its receipt. */
export interface ReceiptAfterGivingUp {
  readonly status: ReceiptStatus;
  readonly failureReason: 'PROCESSING_FAILED';
  /**
   * The statuses the receipt must have for the write to apply; null for a bid, whose receipt
   * is written new. A refund only ever undoes its own REFUND_PENDING mark on a held receipt:
   * one already refunded (or failed) keeps what settlement decided.
   */
  readonly onlyFrom: readonly ReceiptStatus[] | null;
}

/**
 * The receipt's end after its entry was given up on (dead-lettered or lost). A bid answered
 * 202 must still reach a final status, so it becomes FAILED; a refund leaves the purchase
 * standing, and says why it was not refunded, the way receiptAfterRefund does for a refusal.
 */
export function receiptAfterGivingUp(kind: GivenUpKind): ReceiptAfterGivingUp {
  switch (kind) {
    case 'bid':
      return { status: 'FAILED', failureReason: 'PROCESSING_FAILED', onlyFrom: null };
    case 'refund':
      return { status: 'PURCHASED', failureReason: 'PROCESSING_FAILED', onlyFrom: HELD_STATUSES };
  }
}
