/**
 * Every kind of notification a member can get; the API's schemas and the database's check are
 * built from it.
 */
export const NOTIFICATION_KINDS = Object.freeze([
  'receipt',
  'rebate',
  'auction_starting',
  'price_alert',
  'ending_soon',
  'sold',
] as const);

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The kinds the clock makes due for a watch (the scheduler), as opposed to a settlement deciding them. */
export const WATCH_ALERT_KINDS = Object.freeze(['auction_starting', 'price_alert', 'ending_soon'] as const);

export type WatchAlertKind = (typeof WATCH_ALERT_KINDS)[number];

/**
 * What a `receipt` notification's `data.status` says happened to the receipt. REFUND_FAILED is no
 * receipt status: a refund the seller could not pay leaves the receipt PURCHASED (or WON).
 */
export const RECEIPT_NOTIFICATION_STATUSES = Object.freeze([
  'PURCHASED',
  'FAILED',
  'OUTBID',
  'WON',
  'RESERVE_NOT_MET',
  'REFUNDED',
  'REFUND_FAILED',
] as const);

export type ReceiptNotificationStatus = (typeof RECEIPT_NOTIFICATION_STATUSES)[number];

/** Flat JSON: what the words need, stored as jsonb. Never hidden data (reserve price, hidden stock). */
export type NotificationData = Readonly<Record<string, string | number | boolean | null>>;

/** What is stored; `message` is NOT stored: it is derived from kind + data by describeNotification, one place for wording. */
export interface NotificationDraft {
  readonly memberId: string;
  readonly kind: NotificationKind;
  readonly auctionId: string;
  readonly receiptId: string | null;
  readonly data: NotificationData;
  /** Unique per member: a second delivery of the same event cannot be stored. */
  readonly dedupeKey: string;
}

/** `receipt:<receiptId>:<STATUS>`: a receipt reaches each status once. */
export function receiptDedupeKey(
  receiptId: string,
  status: Exclude<ReceiptNotificationStatus, 'REFUND_FAILED'>,
): string {
  return `receipt:${receiptId}:${status}`;
}

/** `receipt:<receiptId>:REFUND_FAILED:<requestId>`: a buyer may ask again after a failed refund, and hear each failure. */
export function refundFailedDedupeKey(receiptId: string, requestId: string): string {
  return `receipt:${receiptId}:REFUND_FAILED:${requestId}`;
}

/** `rebate:<receiptId>`: a uniform close rebates a receipt once. */
export function rebateDedupeKey(receiptId: string): string {
  return `rebate:${receiptId}`;
}

/** `sold:<auctionId>`, `auction_starting:<auctionId>`, ...: once per member and auction. */
export function auctionDedupeKey(kind: 'sold' | WatchAlertKind, auctionId: string): string {
  return `${kind}:${auctionId}`;
}

/**
 * Drops drafts repeating an earlier (memberId, dedupeKey): the database would refuse the second
 * anyway, but one settlement's drafts are then one insert with no conflict among themselves.
 */
export function uniqueDrafts(drafts: readonly NotificationDraft[]): NotificationDraft[] {
  const seen = new Set<string>();
  return drafts.filter((draft) => {
    const key = `${draft.memberId}\u0000${draft.dedupeKey}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
