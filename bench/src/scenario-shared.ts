/** What the scenarios share: auction shapes, seeding, and the figures every scenario reports. */
import type { Bench } from './context.ts';
import { drainRate, settlementRate } from './figures.ts';
import { snapshotPoints, warmUp } from './phases.ts';
import { peakByRole, type Stack } from './processes.ts';
import type { Drain, MemoryFigures, Timeline } from './results.ts';
import { chargeAll, createAuctions, createBuyers, type SeededAuction } from './seed.ts';
import { bucketCounts, round } from './stats.ts';
import { outcomeOf, type ReceiptRow } from './verify.ts';

export const HOT = { stock: 1_000, perBuyerLimit: 5 } as const;
/** Many-auction stock: large enough that no auction sells out, so every bid is accepted. */
export const WIDE = { stock: 100_000, perBuyerLimit: 5 } as const;
/** Spread and sustained buyers get this much more, so points never bind across 200 auctions. */
export const TOP_UP = 1_000_000;
/** The gateway refuses at once a bid its buyer certainly cannot pay; each one is verified against their points. */
export const POINTS_REFUSED = '409 INSUFFICIENT_POINTS';

export function countOutcomes(receipts: readonly ReceiptRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of receipts) counts[outcomeOf(r)] = (counts[outcomeOf(r)] ?? 0) + 1;
  return counts;
}

export function measureMemory(bench: Bench): MemoryFigures {
  const processes = bench.rss.snapshot().filter((p) => p.role === 'gateway' || p.role === 'consumer');
  return {
    gatewayPeakBytes: peakByRole(processes, 'gateway')?.peakBytes ?? null,
    consumerPeakBytes: peakByRole(processes, 'consumer')?.peakBytes ?? null,
    processes,
  };
}

export async function createSellers(bench: Bench, count = 1): Promise<string[]> {
  const sellers = await createBuyers(bench.client.sql, new Array<number>(count).fill(0), 'seller');
  return sellers.map((s) => s.id);
}

export function cycleAuctions(auctions: readonly SeededAuction[]): (i: number) => string {
  const ids = auctions.map((a) => a.id);
  return (i) => ids[i % ids.length] as string;
}

/** A held backlog's drain, from the receipts' own settled_at. */
export function measureDrain(receipts: readonly ReceiptRow[], releasedAt: number, observedAt: number): Drain {
  const { count, last } = settlementRate(receipts);
  return {
    rate: round(drainRate(receipts, releasedAt), 0),
    receipts: count,
    releaseToLastMs: last - releasedAt,
    observedMs: observedAt - releasedAt,
  };
}

/**
 * Many auctions that never sell out, one seller each, with every buyer topped up so points
 * never bind; then caches warm and the engine's warnings and memory peaks start afresh.
 */
export async function seedSpread(bench: Bench, stack: Stack, title: string) {
  const sellers = await createSellers(bench, bench.options.spreadAuctions);
  const auctions = await createAuctions(bench.client, sellers, sellers.length, WIDE, title);
  await chargeAll(bench.client.sql, bench, bench.buyerIds, TOP_UP);
  await warmUp(bench, stack.url);
  stack.takeWarnings();
  bench.rss.reset();
  const startPoints = await snapshotPoints(bench, sellers);
  return { auctions, startPoints };
}

/** Accepted and settled bids per bucket, from `from` to `to`. */
export function buildTimeline(
  acceptedAt: readonly number[],
  settledAt: readonly number[],
  from: number,
  to: number,
  bucketMs: number,
  markers: Timeline['markers'] = [],
): Timeline {
  return {
    bucketMs,
    origin: from,
    accepted: bucketCounts(acceptedAt, from, to, bucketMs),
    settled: bucketCounts(settledAt, from, to, bucketMs),
    markers,
  };
}
