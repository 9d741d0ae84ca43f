/**
 * Every status a receipt can show; the API's schemas and the database's checks are built from it.
 * LEADING, OUTBID, WON and RESERVE_NOT_MET are English receipts' only.
 */
export const RECEIPT_STATUSES = Object.freeze([
  'PENDING',
  'PURCHASED',
  'FAILED',
  'REFUND_PENDING',
  'REFUNDED',
  'LEADING',
  'OUTBID',
  'WON',
  'RESERVE_NOT_MET',
] as const);

export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** The statuses a settled receipt (a row in Postgres) can have: PENDING receipts live only in Redis. */
export const SETTLED_RECEIPT_STATUSES = Object.freeze([
  'PURCHASED',
  'FAILED',
  'REFUND_PENDING',
  'REFUNDED',
  'LEADING',
  'OUTBID',
  'WON',
  'RESERVE_NOT_MET',
] as const);

/** The statuses only an English receipt can have (the database checks format = 'english' for them). */
export const ENGLISH_ONLY_STATUSES = Object.freeze(['LEADING', 'OUTBID', 'WON', 'RESERVE_NOT_MET'] as const);

/** Statuses whose units a buyer still holds, and which count toward perBuyerLimit. */
export const HELD_STATUSES: readonly ReceiptStatus[] = ['PURCHASED', 'REFUND_PENDING'];

/** The statuses a buyer may ask to refund: a Dutch purchase, or a won English lot. */
export const REFUNDABLE_STATUSES = Object.freeze(['PURCHASED', 'WON'] as const);

export type RefundableStatus = (typeof REFUNDABLE_STATUSES)[number];

/**
 * Statuses after which nothing more happens to a receipt unless its buyer asks for a refund.
 * LEADING is not final: the close (or a higher bid) still decides it.
 */
export const FINAL_STATUSES: readonly ReceiptStatus[] = [
  'PURCHASED',
  'FAILED',
  'REFUNDED',
  'OUTBID',
  'WON',
  'RESERVE_NOT_MET',
];

export function isRefundable(status: ReceiptStatus): status is RefundableStatus {
  return (REFUNDABLE_STATUSES as readonly ReceiptStatus[]).includes(status);
}
