/**
 * The sustained scenario: a fixed rate over many auctions with settlement live, sampling the
 * queue's depth throughout, to show the consumers keep up and how long a bid waits to settle.
 */
import { type Bench, engine } from './context.ts';
import { queueDepth } from './facts.ts';
import { settlementRate } from './figures.ts';
import type { LoadResult } from './load.ts';
import { acceptSettleLatency, figuresOf, fire, reportChecks, verifyPhase, waitUntilFinal } from './phases.ts';
import type { Stack } from './processes.ts';
import type { LagSample, RunResults } from './results.ts';
import { cycleAuctions, measureMemory, POINTS_REFUSED, seedSpread } from './scenario-shared.ts';
import type { SeededAuction } from './seed.ts';
import { countAccepted, round } from './stats.ts';

export async function runSustained(bench: Bench, results: RunResults): Promise<void> {
  const stack = await engine(bench);
  const { auctions, startPoints } = await seedSpread(bench, stack, 'sustained');
  const ids = auctions.map((a) => a.id);
  const runs: LoadResult[] = [];
  const { rate, rateSource } = await chooseRate(bench, stack, auctions, runs);
  const { run, lag } = await fireSampled(bench, stack, auctions, rate);
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
    memory: measureMemory(bench),
    engineWarnings: stack.takeWarnings(),
  };
}

/** The rate to offer: --sustained-rate, or half of what a short calibration run (pushed onto runs) took. */
async function chooseRate(bench: Bench, stack: Stack, auctions: readonly SeededAuction[], runs: LoadResult[]) {
  let rate = bench.options.sustainedRate;
  let rateSource = '--sustained-rate';
  if (rate === null) {
    // What the whole engine (gateways and consumers sharing the cores) takes right now, with
    // settlement live; the sustained run offers half of it, so the consumers can keep up.
    const calibration = await fire(
      bench,
      'sustained: calibration (max, live consumers)',
      stack.url,
      cycleAuctions(auctions),
      undefined,
      5,
    );
    runs.push(calibration);
    await waitUntilFinal(
      bench,
      auctions.map((a) => a.id),
      countAccepted(runs),
    );
    rate = calibration.rps * 0.5;
    rateSource = '50% of a 5 s maximum with live consumers, measured just before';
  }
  return { rate: Math.round(rate), rateSource };
}

/** Fires at the fixed rate while sampling the queue's depth every 250 ms. */
async function fireSampled(bench: Bench, stack: Stack, auctions: readonly SeededAuction[], rate: number) {
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
      cycleAuctions(auctions),
      rate,
      bench.options.sustainedSeconds,
    );
  } finally {
    sampling = false;
    await sampler;
  }
  return { run, lag };
}
