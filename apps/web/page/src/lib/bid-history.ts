import type { EnglishReceipt } from '@dutch/contract';
import type { Millis } from '@dutch/domain';

/**
 * One leading bid in an English auction's history. Leading amounts rise strictly (each is at
 * least the previous plus the increment), so the amount identifies a leading bid in its auction.
 * The shape is what the public bid board (GET /auctions/:id/bids, a later issue) will also fill,
 * so the list can change source without changing the list.
 */
export interface HistoryEntry {
  readonly amount: number;
  /** When the bid was accepted (the viewer's own) or seen on the live feed; null: before the page opened. */
  readonly at: Millis | null;
  readonly mine: boolean;
}

/** A leading bid the live feed announced (`bid` events), or the high bid the page opened with. */
export interface SeenBid {
  readonly amount: number;
  readonly seenAt: Millis | null;
}

const LED = new Set(['LEADING', 'OUTBID', 'WON', 'RESERVE_NOT_MET', 'REFUND_PENDING', 'REFUNDED']);

/** Adds a high bid the feed announced, once per amount. */
export function recordSeenBid(seen: readonly SeenBid[], bid: SeenBid): SeenBid[] {
  if (seen.some((s) => s.amount === bid.amount)) return [...seen];
  return [...seen, bid];
}

/**
 * What this page can honestly show without the public board: the leading bids announced since
 * it opened, and the viewer's own leading bids (from their receipts, at any time). Highest first.
 */
export function buildBidHistory(
  seen: readonly SeenBid[],
  own: readonly Pick<EnglishReceipt, 'amount' | 'status' | 'acceptedAt'>[],
): HistoryEntry[] {
  const byAmount = new Map<number, HistoryEntry>();
  for (const s of seen) byAmount.set(s.amount, { amount: s.amount, at: s.seenAt, mine: false });
  for (const r of own) {
    if (!LED.has(r.status)) continue;
    byAmount.set(r.amount, { amount: r.amount, at: Date.parse(r.acceptedAt), mine: true });
  }
  return [...byAmount.values()].sort((a, b) => b.amount - a.amount);
}
