/** Throughput figures computed from the receipts read back from Postgres. */
import type { LeadingRate } from './results.ts';
import { round } from './stats.ts';
import type { ReceiptRow } from './verify.ts';
import { LED_STATUSES } from './verify-english-replay.ts';
import { clearingPriceOf, type UniformReceipt } from './verify-uniform.ts';

/**
 * Settlement throughput from Postgres's own timestamps. settled_at is stamped when a batch's
 * transaction starts, so the receipts of batches started in [first, last) took (last - first).
 */
export function settlementRate(receipts: readonly ReceiptRow[]): {
  rate: number;
  first: number;
  last: number;
  count: number;
} {
  if (receipts.length === 0) return { rate: 0, first: 0, last: 0, count: 0 };
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const r of receipts) {
    first = Math.min(first, r.settledAt);
    last = Math.max(last, r.settledAt);
  }
  const inLast = receipts.filter((r) => r.settledAt === last).length;
  const span = (last - first) / 1000;
  return { rate: span > 0 ? (receipts.length - inLast) / span : Number.NaN, first, last, count: receipts.length };
}

/**
 * A drain's throughput: the receipts of batches started after the release (the batch that
 * was waiting on the lock was stamped before it), over the time from the release to the start
 * of the last batch (its own receipts left out, as their time is not in the window).
 */
export function drainRate(receipts: readonly ReceiptRow[], releasedAt: number): number {
  let last = 0;
  for (const r of receipts) last = Math.max(last, r.settledAt);
  let counted = 0;
  for (const r of receipts) if (r.settledAt >= releasedAt && r.settledAt < last) counted++;
  const span = (last - releasedAt) / 1000;
  return span > 0 ? counted / span : Number.NaN;
}

/**
 * English settlement: all receipts, and those that led at their turn (the ones that move holds),
 * each per second over their own settled_at span (as settlementRate).
 */
export function leadingRate(receipts: readonly ReceiptRow[]): LeadingRate {
  const led = receipts.filter((r) => LED_STATUSES.includes(r.status));
  const all = settlementRate(receipts);
  const leading = settlementRate(led);
  return {
    receipts: all.count,
    leading: leading.count,
    receiptsPerSecond: round(all.rate, 0),
    leadingPerSecond: round(leading.rate, 0),
  };
}

/** Purchases by price, the clearing price, and what the close gave back. */
export function rebateFigures(receipts: readonly UniformReceipt[]) {
  const prices: Record<string, number> = {};
  let rebated = 0;
  let rebateTotal = 0;
  for (const r of receipts) {
    if (r.status !== 'PURCHASED') continue;
    prices[r.unitPrice] = (prices[r.unitPrice] ?? 0) + 1;
    if (r.rebate > 0) rebated++;
    rebateTotal += r.rebate;
  }
  return { prices, clearingPrice: clearingPriceOf(receipts), rebated, rebateTotal };
}
