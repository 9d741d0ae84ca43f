/**
 * The sniping scenario (issue 12): one English auction with a short soft close, thousands of
 * buyers bidding in its last seconds with climbing amounts (many too low by the time they
 * settle, some from buyers without the points), until the end stops moving and passes while the
 * load still runs. Then it waits for the close and verifies the winner, every hold and release,
 * conservation, stream order and lateness; and takes the same bids through the synchronous design.
 */
import { pointsOf } from '@dutch/testkit/seed';
import { type Bench, engine, referenceServer, stopServer } from './context.ts';
import { snipeBids, sniperFunding } from './english-bids.ts';
import { leadingRate } from './figures.ts';
import type { LoadResult } from './load.ts';
import { type VerifiedEnglish, verifyEnglishPhase, waitUntilClosed } from './phase-english.ts';
import { acceptSettleLatency, figuresOf, fire, reportChecks, waitUntilFinal, warmUp } from './phases.ts';
import type { RunResults, SnipingFigures } from './results.ts';
import { measureMemory } from './scenario-shared.ts';
import { type Buyer, createBuyers } from './seed.ts';
import { createEnglishAuction, sleepUntil, startAfter } from './seed-v2.ts';
import { countAccepted, round } from './stats.ts';
import { tallyLateness } from './verify-english-refusals.ts';
import { turnOutcomeOf } from './verify-english-replay.ts';

/**
 * The auction and the bids: a 6 s auction with a 3 s soft close, sniped from 3 s before its
 * scheduled end; the climb keeps extending it, then the quiet lets the end pass, then late bids.
 */
export const SNIPE = {
  startPrice: 100,
  minIncrement: 1,
  /** The reserve is this far above the start: the climb meets it within its first second. */
  reserveAbove: 1_000,
  extendSeconds: 3,
  durationSeconds: 6,
  /** The load starts this long before the scheduled end. */
  leadMs: 3_000,
  /** Amounts climb for this long (every leading bid extends the end). */
  climbMs: 6_000,
  /** Then bids at the opening price, a second longer than the soft close: the end passes. */
  quietMs: 4_000,
  /** Then late snipers far above the top: past the end, and past the close's grace. */
  lateMs: 3_000,
  step: 1,
  noise: 50,
  /** A tenth of the buyers have at most this much: the climb outgrows them early. */
  little: 5_000,
} as const;

/** Every answer the engine may give a sniper, each verified bid by bid. */
const ENGINE_ANSWERS = ['202', '409 BID_TOO_LOW', '409 INSUFFICIENT_POINTS', '409 AUCTION_NOT_RUNNING'];
const KEPT_REFUSALS = ['BID_TOO_LOW', 'AUCTION_NOT_RUNNING'];

function englishPlan(title: string, startsAt: number, durationSeconds: number) {
  const { startPrice, minIncrement, extendSeconds } = SNIPE;
  const reservePrice = startPrice + SNIPE.reserveAbove;
  return { title, startPrice, minIncrement, reservePrice, startsAt, durationSeconds, extendSeconds };
}

const bids = () => snipeBids({ ...SNIPE, from: Date.now() });

export async function runSniping(bench: Bench, results: RunResults): Promise<void> {
  const stack = await engine(bench);
  const { sql } = bench.client;
  const [seller, syncSeller] = (await createBuyers(sql, [0, 0], 'seller')) as [Buyer, Buyer];
  const count = bench.options.snipers;
  const snipers = await createBuyers(sql, sniperFunding(count, SNIPE.little), 'sniper');
  const syncSnipers = await createBuyers(sql, sniperFunding(count, SNIPE.little), 'sniper');
  bench.log(`seeded ${count.toLocaleString('en-US')} snipers for the engine and as many for the synchronous design`);
  await measureSyncEnglish(bench, results, stack.url, syncSeller, syncSnipers);

  await warmUp(bench, stack.url, 2, snipers);
  stack.takeWarnings();
  bench.rss.reset();
  const startPoints = await pointsOf(sql, [...snipers.map((b) => b.id), seller.id]);
  const plan = englishPlan('sniping: one English auction', startAfter(1_500), SNIPE.durationSeconds);
  const auction = await createEnglishAuction(stack.url, seller, plan);
  await sleepUntil(auction.terms.endsAt - SNIPE.leadMs);
  const run = await fire(
    bench,
    'sniping: the last seconds of one English auction',
    stack.url,
    () => auction.id,
    undefined,
    (SNIPE.climbMs + SNIPE.quietMs + SNIPE.lateMs) / 1000,
    { buyers: snipers, bodyFor: bids(), keepRefusals: KEPT_REFUSALS },
  );
  const closedAt = await waitUntilClosed(bench, auction.id);
  await waitUntilFinal(bench, [auction.id], countAccepted([run]));
  const verified = await verifyEnglishPhase(bench, {
    auction,
    runs: [run],
    buyers: snipers,
    startPoints,
    queued: true,
    expected: ENGINE_ANSWERS,
  });
  reportChecks(bench, 'sniping', verified.checks);
  results.verification.push({ phase: 'sniping: one English auction, soft close', checks: verified.checks });
  results.sniping = summarizeSniping(bench, run, verified, closedAt, stack.takeWarnings());
  const { settled, auction: a } = results.sniping;
  bench.log(
    `  sniping: ${settled.leading} leading bids settled at ${settled.leadingPerSecond}/s (${settled.receiptsPerSecond} receipts/s); ` +
      `${a.result} at ${a.highBid}, end moved ${a.extensions} times to ${a.endsAt}, closed ${a.closedAfterEndMs} ms after it`,
  );
}

function summarizeSniping(
  bench: Bench,
  run: LoadResult,
  verified: VerifiedEnglish,
  closedAt: number | null,
  engineWarnings: Readonly<Record<string, number>>,
): SnipingFigures {
  const { facts, replay, receipts } = verified;
  const accepted = countAccepted([run]);
  const outcomes: Record<string, number> = {};
  for (const r of receipts) outcomes[turnOutcomeOf(r)] = (outcomes[turnOutcomeOf(r)] ?? 0) + 1;
  const last = replay.led.at(-1);
  const lateness = tallyLateness({ auction: facts, receipts, refusals: verified.refusals }, replay);
  return {
    buyers: bench.options.snipers,
    run: figuresOf(run),
    accepted,
    acceptedPerSecond: round(accepted / (run.durationMs / 1000), 0),
    outcomes,
    settled: leadingRate(receipts),
    acceptSettleMs: acceptSettleLatency(receipts),
    auction: {
      startPrice: facts.terms.startPrice,
      reservePrice: facts.terms.reservePrice,
      extendSeconds: facts.terms.extendSeconds,
      scheduledEndsAt: new Date(facts.terms.endsAt).toISOString(),
      endsAt: new Date(facts.lead.endsAt).toISOString(),
      extensions: replay.extensions.length,
      highBid: facts.lead.highBid,
      result: last?.status ?? 'unsold',
      closedAfterEndMs: closedAt === null ? null : closedAt - facts.lead.endsAt,
    },
    lateness: {
      refusedBeforeExtendedEnd: lateness.refusedBeforeExtendedEnd,
      refusedAfterEnd: lateness.refusedAfterEnd,
    },
    memory: measureMemory(bench),
    engineWarnings,
  };
}

/**
 * Reference (b) for English: the same climbing bids, from as many buyers funded alike, through the
 * synchronous design (one transaction per bid under the auction's row lock) on an auction of its
 * own that stays open; verified with the same checks.
 */
async function measureSyncEnglish(
  bench: Bench,
  results: RunResults,
  url: string,
  seller: Buyer,
  buyers: readonly Buyer[],
): Promise<void> {
  const plan = englishPlan('sync reference: English', startAfter(1_000), 600);
  const auction = await createEnglishAuction(url, seller, plan);
  // One hot row: a small pool wins, as for the Dutch hot auction.
  const server = await referenceServer(bench, 'sync-server.ts', { PG_POOL_SIZE: '2' });
  let run: LoadResult;
  let startPoints: Map<string, number>;
  try {
    await warmUp(bench, server.url, 2, buyers);
    await sleepUntil(auction.terms.startsAt);
    startPoints = await pointsOf(bench.client.sql, [...buyers.map((b) => b.id), seller.id]);
    run = await fire(
      bench,
      'reference (b) synchronous, English',
      server.url,
      () => auction.id,
      undefined,
      SNIPE.climbMs / 1000,
      { buyers, bodyFor: bids(), keepRefusals: KEPT_REFUSALS },
    );
  } finally {
    await stopServer(bench, server);
  }
  const verified = await verifyEnglishPhase(bench, {
    auction,
    runs: [run],
    buyers,
    startPoints,
    queued: false,
    expected: ['200', '409'],
  });
  reportChecks(bench, 'synchronous English', verified.checks);
  results.verification.push({ phase: 'reference (b) synchronous, English', checks: verified.checks });
  const outcomes: Record<string, number> = {};
  for (const r of verified.receipts) outcomes[turnOutcomeOf(r)] = (outcomes[turnOutcomeOf(r)] ?? 0) + 1;
  const settled = leadingRate(verified.receipts);
  results.references.syncEnglish = { run: figuresOf(run), receipts: verified.receipts.length, outcomes, settled };
  bench.log(
    `  synchronous English: ${settled.leading} leading bids at ${settled.leadingPerSecond}/s (${settled.receiptsPerSecond} receipts/s)`,
  );
}
