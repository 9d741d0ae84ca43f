/** The reference servers the engine is compared with: bare hono (the HTTP ceiling) and the synchronous design. */
import { type Bench, referenceServer, stopServer } from './context.ts';
import type { LoadResult } from './load.ts';
import { figuresOf, fire, reportChecks, snapshotPoints, verifyPhase, warmUp } from './phases.ts';
import type { RunResults, SyncFigures } from './results.ts';
import { countOutcomes, createSellers, cycleAuctions, HOT, TOP_UP, WIDE } from './scenario-shared.ts';
import { chargeAll, createAuctions } from './seed.ts';
import { round } from './stats.ts';

/** The HTTP ceiling; measured before the engine's runs and again after them, to bracket the machine's drift. */
export async function measureBare(bench: Bench, results: RunResults, when: 'before' | 'after'): Promise<void> {
  const server = await referenceServer(bench, 'bare-server.ts');
  try {
    await warmUp(bench, server.url);
    const run = await fire(bench, `reference (a) bare hono, ${when}`, server.url, () => bench.warmupAuctionId);
    if (when === 'before') results.references.bare = figuresOf(run);
    else results.references.bareAfter = figuresOf(run);
    bench.log(`  bare hono: ${round(run.rps, 0)} req/s, p99 ${round(run.latency.p99, 2)} ms`);
  } finally {
    await stopServer(bench, server);
  }
}

export async function measureSync(bench: Bench, results: RunResults, kind: 'hot' | 'spread'): Promise<void> {
  const count = kind === 'hot' ? 1 : bench.options.spreadAuctions;
  const sellers = await createSellers(bench, count);
  const auctions =
    kind === 'hot'
      ? await createAuctions(bench.client, sellers, 1, HOT, 'sync reference: one hot auction')
      : await createAuctions(bench.client, sellers, count, WIDE, 'sync reference: spread');
  if (kind === 'spread') await chargeAll(bench.client.sql, bench, bench.buyerIds, TOP_UP);
  // Postgres connections per worker: the best of 1, 2, 5, 10 and 20 measured on this machine for
  // each shape. On one hot row a small pool wins (waiters on the row lock only add a lock
  // convoy); across 200 auctions more connections settle in parallel.
  const server = await referenceServer(bench, 'sync-server.ts', { PG_POOL_SIZE: kind === 'hot' ? '2' : '10' });
  let run: LoadResult;
  let startPoints: Map<string, number>;
  try {
    await warmUp(bench, server.url);
    startPoints = await snapshotPoints(bench, sellers);
    run = await fire(bench, `reference (b) synchronous, ${kind}`, server.url, cycleAuctions(auctions));
  } finally {
    await stopServer(bench, server);
  }
  const verified = await verifyPhase(bench, {
    auctions,
    runs: [run],
    startPoints,
    queued: false,
    expected: ['200', '409'],
  });
  reportChecks(bench, `synchronous ${kind}`, verified.checks);
  results.verification.push({ phase: `reference (b) synchronous, ${kind}`, checks: verified.checks });
  const figures: SyncFigures = {
    run: figuresOf(run),
    auctions: auctions.length,
    receipts: verified.receipts.length,
    settledPerSecond: round(verified.receipts.length / (run.durationMs / 1000), 0),
    outcomes: countOutcomes(verified.receipts),
  };
  if (kind === 'hot') results.references.syncHot = figures;
  else results.references.syncSpread = figures;
  bench.log(`  synchronous ${kind}: ${figures.settledPerSecond} bids settled/s, p99 ${round(run.latency.p99, 2)} ms`);
}
