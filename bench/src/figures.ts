/** Throughput figures computed from the receipts read back from Postgres. */
import type { ReceiptRow } from './verify.ts';

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
