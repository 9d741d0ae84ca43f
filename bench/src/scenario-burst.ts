/**
 * The burst scenario: one hot auction, first with settlement held (the gateway's own figures,
 * then the backlog's drain), then live (the moment it sells out, as it happens).
 */
import { type Bench, engine } from './context.ts';
import type { LoadResult } from './load.ts';
import {
  acceptSettleLatency,
  figuresOf,
  fire,
  holdAuctions,
  reportChecks,
  snapshotPoints,
  type Verified,
  verifyPhase,
  waitUntilFinal,
  warmUp,
} from './phases.ts';
import type { Stack } from './processes.ts';
import type { BurstFigures, Drain, RunResults } from './results.ts';
import { measureBare } from './scenario-references.ts';
import {
  buildTimeline,
  countOutcomes,
  createSellers,
  HOT,
  measureDrain,
  measureMemory,
  POINTS_REFUSED,
} from './scenario-shared.ts';
import { createAuctions } from './seed.ts';
import { countAccepted } from './stats.ts';

/** The held backlog's runs, what they settled to, and how fast it drained. */
interface Backlog {
  readonly max: LoadResult;
  readonly fixed: LoadResult;
  readonly accepted: number;
  readonly releasedAt: number;
  readonly verified: Verified;
  readonly drain: Drain;
}

/** The live run on a fresh auction, and what it settled to. */
interface Moment {
  readonly max: LoadResult;
  readonly verified: Verified;
}

export async function runBurst(bench: Bench, results: RunResults): Promise<void> {
  const stack = await engine(bench);
  await warmUp(bench, stack.url);
  stack.takeWarnings();
  bench.rss.reset();
  const sellers = await createSellers(bench);
  const backlog = await runHeldBacklog(bench, results, stack, sellers);
  const moment = await runMoment(bench, results, stack, sellers);
  results.burst = summarizeBurst(bench, stack, backlog, moment);
}

/**
 * 1. One auction (stock 1,000, limit 5) whose row the bench holds FOR UPDATE while autocannon
 *    fires: nothing settles, so the gateway's stock never drops and every bid takes the whole
 *    accept path (auth, validation, idempotency, XADD) and is answered 202: the gateway's
 *    figures. Then the bench lets go and the consumers drain the one-auction backlog: the
 *    hot-auction settlement throughput.
 */
async function runHeldBacklog(
  bench: Bench,
  results: RunResults,
  stack: Stack,
  sellers: readonly string[],
): Promise<Backlog> {
  const [hot] = await createAuctions(bench.client, sellers, 1, HOT, 'burst: hot backlog');
  if (hot === undefined) throw new Error('no auction');
  const startPoints = await snapshotPoints(bench, sellers);
  // The HTTP ceiling right before and right after the gateway's runs, so the ratio compares
  // like with like on a machine whose load changes from one minute to the next.
  await measureBare(bench, results, 'before');
  const { max, fixed, releasedAt } = await fireHeld(bench, stack, hot.id);
  const runs = [max, fixed];
  const accepted = countAccepted(runs);
  bench.log(`  ${accepted.toLocaleString('en-US')} bids queued for one auction; settlement released`);
  const final = await waitUntilFinal(bench, [hot.id], accepted);
  const verified = await verifyPhase(bench, {
    auctions: [hot],
    runs,
    startPoints,
    queued: true,
    expected: ['202', POINTS_REFUSED],
  });
  reportChecks(bench, 'burst (backlog)', verified.checks);
  results.verification.push({
    phase: 'burst: one auction, settlement held, then released',
    checks: verified.checks,
  });
  const drain = measureDrain(verified.receipts, releasedAt, final.observedAt);
  await measureBare(bench, results, 'after');
  bench.log(
    `  hot auction drained at ${drain.rate} bids/s (${drain.receipts} receipts, ${drain.releaseToLastMs} ms after release)`,
  );
  return { max, fixed, accepted, releasedAt, verified, drain };
}

/** A max run, then one at a share of its rate, while the auction's row is held; then lets go. */
async function fireHeld(bench: Bench, stack: Stack, auctionId: string) {
  const hold = await holdAuctions(bench, [auctionId]);
  let max: LoadResult;
  let fixed: LoadResult;
  let releasedAt: number;
  try {
    max = await fire(bench, 'burst (settlement held): max', stack.url, () => auctionId);
    fixed = await fire(
      bench,
      'burst (settlement held): fixed rate',
      stack.url,
      () => auctionId,
      max.rps * bench.options.fixedRateShare,
    );
  } finally {
    releasedAt = await hold.release();
  }
  return { max, fixed, releasedAt };
}

/**
 * 2. The moment as it happens: a fresh auction, consumers live. The first bids are accepted,
 *    the stock sells out, and from then on the gateways refuse at once (409 SOLD_OUT) from
 *    the stock the consumers publish. Then wait until every receipt is final.
 */
async function runMoment(bench: Bench, results: RunResults, stack: Stack, sellers: readonly string[]): Promise<Moment> {
  const [moment] = await createAuctions(bench.client, sellers, 1, HOT, 'burst: the moment');
  if (moment === undefined) throw new Error('no auction');
  // The token caches loaded by the first warm-up expire about now (60 s): warm them again.
  await warmUp(bench, stack.url);
  const startPoints = await snapshotPoints(bench, sellers);
  const max = await fire(bench, 'burst (live consumers): max', stack.url, () => moment.id);
  await waitUntilFinal(bench, [moment.id], countAccepted([max]));
  const verified = await verifyPhase(bench, {
    auctions: [moment],
    runs: [max],
    startPoints,
    queued: true,
    expected: ['202', '409 SOLD_OUT', POINTS_REFUSED],
  });
  reportChecks(bench, 'burst (live consumers)', verified.checks);
  results.verification.push({ phase: 'burst: one auction, live consumers', checks: verified.checks });
  return { max, verified };
}

function summarizeBurst(bench: Bench, stack: Stack, backlog: Backlog, moment: Moment): BurstFigures {
  const momentAccepted = moment.verified.answers.map((a) => a.acceptedAt);
  const momentSettled = moment.verified.receipts.map((r) => r.settledAt);
  const lastFinal = Math.max(...momentSettled);
  const lastAccepted = Math.max(...momentAccepted);
  const firstAccepted = Math.min(...momentAccepted);
  const backlogFrom = backlog.max.startedAt;
  return {
    moment: {
      max: figuresOf(moment.max),
      accepted: countAccepted([moment.max]),
      receipts: moment.verified.receipts.length,
      outcomes: countOutcomes(moment.verified.receipts),
      firstBidToLastFinalMs: lastFinal - moment.max.startedAt,
      lastAcceptedToLastFinalMs: lastFinal - lastAccepted,
      acceptSettleMs: acceptSettleLatency(moment.verified.receipts),
    },
    backlog: {
      max: figuresOf(backlog.max),
      fixed: figuresOf(backlog.fixed),
      accepted: backlog.accepted,
      outcomes: countOutcomes(backlog.verified.receipts),
      drain: backlog.drain,
    },
    memory: measureMemory(bench),
    timelines: {
      moment: buildTimeline(
        momentAccepted,
        momentSettled,
        firstAccepted - 20,
        Math.max(lastFinal, lastAccepted) + 60,
        10,
      ),
      backlog: buildTimeline(
        backlog.verified.answers.map((a) => a.acceptedAt),
        backlog.verified.receipts.map((r) => r.settledAt),
        backlogFrom,
        backlog.releasedAt + backlog.drain.releaseToLastMs + 500,
        250,
        [
          { atMs: backlog.fixed.startedAt - backlogFrom, label: 'fixed-rate run' },
          { atMs: backlog.releasedAt - backlogFrom, label: 'settlement released' },
        ],
      ),
    },
    engineWarnings: stack.takeWarnings(),
  };
}
