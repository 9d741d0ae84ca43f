/**
 * The scenarios of issue 5. Each one seeds its own auctions, fires at the real engine (or a
 * reference server), waits until every receipt is final, and verifies the outcome.
 */
import { type Bench, engine, referenceServer, stopServer } from './context.ts';
import { queueDepth } from './facts.ts';
import { drainRate, settlementRate } from './figures.ts';
import type { LoadResult } from './load.ts';
import {
  acceptSettleLatency,
  figuresOf,
  fire,
  holdAuctions,
  reportChecks,
  snapshotPoints,
  verifyPhase,
  waitUntilFinal,
  warmUp,
} from './phases.ts';
import { peakByRole, type Stack } from './processes.ts';
import type {
  BurstFigures,
  Drain,
  LagSample,
  MemoryFigures,
  RunResults,
  SpreadFigures,
  SustainedFigures,
  SyncFigures,
  Timeline,
} from './results.ts';
import { chargeAll, createAuctions, createBuyers, type SeededAuction } from './seed.ts';
import { bucketCounts, round } from './stats.ts';
import { outcomeOf, type ReceiptRow } from './verify.ts';

const HOT = { stock: 1_000, perBuyerLimit: 5 } as const;
/** Many-auction stock: large enough that no auction sells out, so every bid is accepted. */
const WIDE = { stock: 100_000, perBuyerLimit: 5 } as const;
/** Spread and sustained buyers get this much more, so points never bind across 200 auctions. */
const TOP_UP = 1_000_000;
/** The gateway refuses at once a bid its buyer certainly cannot pay; each one is verified against their points. */
const POINTS_REFUSED = '409 INSUFFICIENT_POINTS';

function countAccepted(runs: readonly LoadResult[]): number {
  let n = 0;
  for (const run of runs)
    for (const [status, count] of Object.entries(run.statuses)) if (status.startsWith('2')) n += count;
  return n;
}

function outcomes(receipts: readonly ReceiptRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of receipts) counts[outcomeOf(r)] = (counts[outcomeOf(r)] ?? 0) + 1;
  return counts;
}

function memory(bench: Bench): MemoryFigures {
  const processes = bench.rss.snapshot().filter((p) => p.role === 'gateway' || p.role === 'consumer');
  return {
    gatewayPeakBytes: peakByRole(processes, 'gateway')?.peakBytes ?? null,
    consumerPeakBytes: peakByRole(processes, 'consumer')?.peakBytes ?? null,
    processes,
  };
}

async function newSellers(bench: Bench, count = 1): Promise<string[]> {
  const sellers = await createBuyers(bench.client.sql, new Array<number>(count).fill(0), 'seller');
  return sellers.map((s) => s.id);
}

function roundRobin(auctions: readonly SeededAuction[]): (i: number) => string {
  const ids = auctions.map((a) => a.id);
  return (i) => ids[i % ids.length] as string;
}

/** A held backlog's drain, from the receipts' own settled_at. */
function drainOf(receipts: readonly ReceiptRow[], releasedAt: number, observedAt: number): Drain {
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
async function seedSpread(bench: Bench, stack: Stack, title: string) {
  const sellers = await newSellers(bench, bench.options.spreadAuctions);
  const auctions = await createAuctions(bench.client, sellers, sellers.length, WIDE, title);
  await chargeAll(bench.client.sql, bench, bench.buyerIds, TOP_UP);
  await warmUp(bench, stack.url);
  stack.takeWarnings();
  bench.rss.reset();
  const startPoints = await snapshotPoints(bench, sellers);
  return { auctions, startPoints };
}

// ---------------------------------------------------------------- references

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
  const sellers = await newSellers(bench, count);
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
    run = await fire(bench, `reference (b) synchronous, ${kind}`, server.url, roundRobin(auctions));
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
    outcomes: outcomes(verified.receipts),
  };
  if (kind === 'hot') results.references.syncHot = figures;
  else results.references.syncSpread = figures;
  bench.log(`  synchronous ${kind}: ${figures.settledPerSecond} bids settled/s, p99 ${round(run.latency.p99, 2)} ms`);
}

// ---------------------------------------------------------------- burst

function timeline(
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

export async function runBurst(bench: Bench, results: RunResults): Promise<void> {
  const stack = await engine(bench);
  const { fixedRateShare } = bench.options;
  await warmUp(bench, stack.url);
  stack.takeWarnings();
  bench.rss.reset();
  const sellers = await newSellers(bench);

  // 1. One auction (stock 1,000, limit 5) whose row the bench holds FOR UPDATE while autocannon
  //    fires: nothing settles, so the gateway's stock never drops and every bid takes the whole
  //    accept path (auth, validation, idempotency, XADD) and is answered 202: the gateway's
  //    figures. Then the bench lets go and the consumers drain the one-auction backlog: the
  //    hot-auction settlement throughput.
  const [hot] = await createAuctions(bench.client, sellers, 1, HOT, 'burst: hot backlog');
  if (hot === undefined) throw new Error('no auction');
  let startPoints = await snapshotPoints(bench, sellers);
  // The HTTP ceiling right before and right after the gateway's runs, so the ratio compares
  // like with like on a machine whose load changes from one minute to the next.
  await measureBare(bench, results, 'before');
  const hold = await holdAuctions(bench, [hot.id]);
  let backlogMax: LoadResult;
  let backlogFixed: LoadResult;
  let releasedAt: number;
  try {
    backlogMax = await fire(bench, 'burst (settlement held): max', stack.url, () => hot.id);
    backlogFixed = await fire(
      bench,
      'burst (settlement held): fixed rate',
      stack.url,
      () => hot.id,
      backlogMax.rps * fixedRateShare,
    );
  } finally {
    releasedAt = await hold.release();
  }
  const backlogRuns = [backlogMax, backlogFixed];
  const backlogAccepted = countAccepted(backlogRuns);
  bench.log(`  ${backlogAccepted.toLocaleString('en-US')} bids queued for one auction; settlement released`);
  const final = await waitUntilFinal(bench, [hot.id], backlogAccepted);
  const backlogVerified = await verifyPhase(bench, {
    auctions: [hot],
    runs: backlogRuns,
    startPoints,
    queued: true,
    expected: ['202', POINTS_REFUSED],
  });
  reportChecks(bench, 'burst (backlog)', backlogVerified.checks);
  results.verification.push({
    phase: 'burst: one auction, settlement held, then released',
    checks: backlogVerified.checks,
  });
  const drain = drainOf(backlogVerified.receipts, releasedAt, final.observedAt);
  await measureBare(bench, results, 'after');
  bench.log(
    `  hot auction drained at ${drain.rate} bids/s (${drain.receipts} receipts, ${drain.releaseToLastMs} ms after release)`,
  );

  // 2. The moment as it happens: a fresh auction, consumers live. The first bids are accepted,
  //    the stock sells out, and from then on the gateways refuse at once (409 SOLD_OUT) from
  //    the stock the consumers publish. Then wait until every receipt is final.
  const [moment] = await createAuctions(bench.client, sellers, 1, HOT, 'burst: the moment');
  if (moment === undefined) throw new Error('no auction');
  // The token caches loaded by the first warm-up expire about now (60 s): warm them again.
  await warmUp(bench, stack.url);
  startPoints = await snapshotPoints(bench, sellers);
  const momentMax = await fire(bench, 'burst (live consumers): max', stack.url, () => moment.id);
  await waitUntilFinal(bench, [moment.id], countAccepted([momentMax]));
  const momentVerified = await verifyPhase(bench, {
    auctions: [moment],
    runs: [momentMax],
    startPoints,
    queued: true,
    expected: ['202', '409 SOLD_OUT', POINTS_REFUSED],
  });
  reportChecks(bench, 'burst (live consumers)', momentVerified.checks);
  results.verification.push({ phase: 'burst: one auction, live consumers', checks: momentVerified.checks });
  const momentAccepted = momentVerified.answers.map((a) => a.acceptedAt);
  const momentSettled = momentVerified.receipts.map((r) => r.settledAt);
  const lastFinal = Math.max(...momentSettled);
  const lastAccepted = Math.max(...momentAccepted);
  const firstAccepted = Math.min(...momentAccepted);

  const backlogFrom = backlogMax.startedAt;
  results.burst = {
    moment: {
      max: figuresOf(momentMax),
      accepted: countAccepted([momentMax]),
      receipts: momentVerified.receipts.length,
      outcomes: outcomes(momentVerified.receipts),
      firstBidToLastFinalMs: lastFinal - momentMax.startedAt,
      lastAcceptedToLastFinalMs: lastFinal - lastAccepted,
      acceptSettleMs: acceptSettleLatency(momentVerified.receipts),
    },
    backlog: {
      max: figuresOf(backlogMax),
      fixed: figuresOf(backlogFixed),
      accepted: backlogAccepted,
      outcomes: outcomes(backlogVerified.receipts),
      drain,
    },
    memory: memory(bench),
    timelines: {
      moment: timeline(momentAccepted, momentSettled, firstAccepted - 20, Math.max(lastFinal, lastAccepted) + 60, 10),
      backlog: timeline(
        backlogVerified.answers.map((a) => a.acceptedAt),
        backlogVerified.receipts.map((r) => r.settledAt),
        backlogFrom,
        releasedAt + drain.releaseToLastMs + 500,
        250,
        [
          { atMs: backlogFixed.startedAt - backlogFrom, label: 'fixed-rate run' },
          { atMs: releasedAt - backlogFrom, label: 'settlement released' },
        ],
      ),
    },
    engineWarnings: stack.takeWarnings(),
  } satisfies BurstFigures;
}

// ---------------------------------------------------------------- spread

export async function runSpread(bench: Bench, results: RunResults): Promise<void> {
  const stack = await engine(bench);
  const { auctions, startPoints } = await seedSpread(bench, stack, 'spread');
  const hold = await holdAuctions(
    bench,
    auctions.map((a) => a.id),
  );
  let max: LoadResult;
  let releasedAt: number;
  try {
    max = await fire(
      bench,
      `spread over ${auctions.length} auctions (settlement held): max`,
      stack.url,
      roundRobin(auctions),
    );
  } finally {
    releasedAt = await hold.release();
  }
  const acceptedCount = countAccepted([max]);
  const ids = auctions.map((a) => a.id);
  const final = await waitUntilFinal(bench, ids, acceptedCount);
  const verified = await verifyPhase(bench, {
    auctions,
    runs: [max],
    startPoints,
    queued: true,
    expected: ['202', POINTS_REFUSED],
  });
  reportChecks(bench, 'spread', verified.checks);
  results.verification.push({ phase: `spread over ${auctions.length} auctions`, checks: verified.checks });
  const drain = drainOf(verified.receipts, releasedAt, final.observedAt);
  bench.log(`  spread drained at ${drain.rate} bids/s (${drain.receipts} receipts)`);
  results.spread = {
    auctions: auctions.length,
    max: figuresOf(max),
    accepted: acceptedCount,
    outcomes: outcomes(verified.receipts),
    drain,
    memory: memory(bench),
    engineWarnings: stack.takeWarnings(),
  } satisfies SpreadFigures;
}

// ---------------------------------------------------------------- sustained

export async function runSustained(bench: Bench, results: RunResults): Promise<void> {
  const stack = await engine(bench);
  const { auctions, startPoints } = await seedSpread(bench, stack, 'sustained');
  const ids = auctions.map((a) => a.id);
  const runs: LoadResult[] = [];
  let rate = bench.options.sustainedRate;
  let rateSource = '--sustained-rate';
  if (rate === null) {
    // What the whole engine (gateways and consumers sharing the cores) takes right now, with
    // settlement live; the sustained run offers half of it, so the consumers can keep up.
    const calibration = await fire(
      bench,
      'sustained: calibration (max, live consumers)',
      stack.url,
      roundRobin(auctions),
      undefined,
      5,
    );
    runs.push(calibration);
    await waitUntilFinal(bench, ids, countAccepted(runs));
    rate = calibration.rps * 0.5;
    rateSource = '50% of a 5 s maximum with live consumers, measured just before';
  }
  rate = Math.round(rate);

  const lag: LagSample[] = [];
  let sampling = true;
  const started = Date.now();
  const sampler = (async () => {
    while (sampling) {
      const depth = await queueDepth(bench.redis, bench.layout);
      lag.push({ t: Date.now() - started, ...depth });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  let run: LoadResult;
  try {
    run = await fire(
      bench,
      `sustained over ${auctions.length} auctions (live consumers)`,
      stack.url,
      roundRobin(auctions),
      rate,
      bench.options.sustainedSeconds,
    );
  } finally {
    sampling = false;
    await sampler;
  }
  runs.push(run);
  await waitUntilFinal(bench, ids, countAccepted(runs));
  const verified = await verifyPhase(bench, {
    auctions,
    runs,
    startPoints,
    queued: true,
    expected: ['202', POINTS_REFUSED],
  });
  reportChecks(bench, 'sustained', verified.checks);
  results.verification.push({ phase: `sustained over ${auctions.length} auctions`, checks: verified.checks });
  const inRun = verified.receipts.filter((r) => r.acceptedAt >= run.startedAt);
  const latency = acceptSettleLatency(inRun);
  const settled = settlementRate(inRun);
  bench.log(
    `  accept->settle p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms; max lag ${Math.max(0, ...lag.map((l) => l.lag))}`,
  );
  results.sustained = {
    auctions: auctions.length,
    rate,
    rateSource,
    run: figuresOf(run),
    accepted: countAccepted([run]),
    acceptSettleMs: latency,
    settledPerSecond: round(settled.rate, 0),
    lag,
    maxLag: Math.max(0, ...lag.map((l) => l.lag)),
    maxPending: Math.max(0, ...lag.map((l) => l.pending)),
    memory: memory(bench),
    engineWarnings: stack.takeWarnings(),
  } satisfies SustainedFigures;
}
