/** Every status a receipt can show; the API's schemas and the database's checks are built from it. */
export const RECEIPT_STATUSES = Object.freeze([
  'PENDING',
  'PURCHASED',
  'FAILED',
  'REFUND_PENDING',
  'REFUNDED',
] as const);

export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** The statuses a settled receipt (a row in Postgres) can have: PENDING receipts live only in Redis. */
export const SETTLED_RECEIPT_STATUSES = Object.freeze(['PURCHASED', 'FAILED', 'REFUND_PENDING', 'REFUNDED'] as const);

/** Statuses whose units a buyer still holds, and which count toward perBuyerLimit. */
export const HELD_STATUSES: readonly ReceiptStatus[] = ['PURCHASED', 'REFUND_PENDING'];

/** Statuses after which nothing more happens to a receipt unless its buyer asks for a refund. */
export const FINAL_STATUSES: readonly ReceiptStatus[] = ['PURCHASED', 'FAILED', 'REFUNDED'];

export function isHeld(status: ReceiptStatus): boolean {
  return HELD_STATUSES.includes(status);
}
