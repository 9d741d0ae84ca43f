export type ReceiptStatus = 'PENDING' | 'PURCHASED' | 'FAILED' | 'REFUND_PENDING' | 'REFUNDED';

export const RECEIPT_STATUSES: readonly ReceiptStatus[] = [
  'PENDING',
  'PURCHASED',
  'FAILED',
  'REFUND_PENDING',
  'REFUNDED',
];

/** Statuses whose units a buyer still holds, and which count toward perBuyerLimit. */
export const HELD_STATUSES: readonly ReceiptStatus[] = ['PURCHASED', 'REFUND_PENDING'];

/** Statuses after which nothing more happens to a receipt unless its buyer asks for a refund. */
export const FINAL_STATUSES: readonly ReceiptStatus[] = ['PURCHASED', 'FAILED', 'REFUNDED'];

export function isHeld(status: ReceiptStatus): boolean {
  return HELD_STATUSES.includes(status);
}
