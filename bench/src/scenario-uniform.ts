/**
 * The uniform-price burst (issue 12): one `pricing: "uniform"` Dutch auction whose price steps
 * down several times during a burst, so buyers buy at several prices; then it closes at its end.
 * Verified as every burst (the Dutch replay, balances less rebates, auditLedger), plus: the
 * clearing price is the lowest price bought at, every buyer paid exactly it, and the ledger holds
 * each purchase, the seller's hold and its release, and each rebate.
 */
import { type Bench, engine } from './context.ts';
import { auctionFacts } from './facts.ts';
import { ledgerOf, uniformFacts, uniformReceiptsOf } from './facts-v2.ts';
import { rebateFigures } from './figures.ts';
import { waitUntilClosed } from './phase-english.ts';
import { figuresOf, fire, reportChecks, snapshotPoints, verifyPhase, waitUntilFinal, warmUp } from './phases.ts';
import type { RunResults, UniformFigures } from './results.ts';
import { countOutcomes, measureMemory, POINTS_REFUSED } from './scenario-shared.ts';
import { type Buyer, createBuyers } from './seed.ts';
import { createUniformAuction, sleepUntil, startAfter } from './seed-v2.ts';
import { countAccepted } from './stats.ts';
import { verifyUniform } from './verify-uniform.ts';

/** 100, 95, 90, 85: four prices two seconds each, then a second of bids after the end. */
export const UNIFORM = {
  startPrice: 100,
  dropAmount: 5,
  dropIntervalSeconds: 2,
  durationSeconds: 8,
  perBuyerLimit: 5,
  /** Bids keep coming this long after the end: refused AUCTION_NOT_RUNNING. */
  tailMs: 1_000,
} as const;

export async function runUniform(bench: Bench, results: RunResults): Promise<void> {
  const stack = await engine(bench);
  const [seller] = (await createBuyers(bench.client.sql, [0], 'seller')) as [Buyer];
  await warmUp(bench, stack.url, 2);
  stack.takeWarnings();
  bench.rss.reset();
  const startsAt = startAfter(1_500);
  const id = await createUniformAuction(stack.url, seller, {
    ...UNIFORM,
    title: 'uniform: one auction, one clearing price',
    startsAt,
    // Never sells out (every buyer's limit fits), so it closes at its end, after the price steps.
    stock: bench.buyers.length * UNIFORM.perBuyerLimit,
  });
  const [auction] = await auctionFacts(bench.client.sql, [id]);
  if (auction === undefined) throw new Error(`auction ${id} not found`);
  const startPoints = await snapshotPoints(bench, [seller.id]);
  await sleepUntil(startsAt);
  const seconds = UNIFORM.durationSeconds + UNIFORM.tailMs / 1000;
  const run = await fire(bench, 'uniform: a burst across four price steps', stack.url, () => id, undefined, seconds);
  const closedAt = await waitUntilClosed(bench, id);
  await waitUntilFinal(bench, [id], countAccepted([run]));
  const [receipts, facts, ledger] = await Promise.all([
    uniformReceiptsOf(bench.client.sql, id),
    uniformFacts(bench.client.sql, id),
    ledgerOf(bench.client.sql, id),
  ]);
  const verified = await verifyPhase(bench, {
    auctions: [auction],
    runs: [run],
    startPoints,
    queued: true,
    expected: ['202', POINTS_REFUSED, '409 AUCTION_NOT_RUNNING'],
    rebates: new Map(receipts.map((r) => [r.id, r.rebate])),
  });
  const checks = [...verified.checks, ...verifyUniform({ auction: facts, receipts, ledger })];
  reportChecks(bench, 'uniform', checks);
  results.verification.push({ phase: 'uniform: one Dutch auction at one clearing price', checks });
  results.uniform = {
    run: figuresOf(run),
    accepted: countAccepted([run]),
    outcomes: countOutcomes(verified.receipts),
    ...rebateFigures(receipts),
    closedAfterEndMs: closedAt === null ? null : closedAt - auction.terms.endsAt,
    memory: measureMemory(bench),
    engineWarnings: stack.takeWarnings(),
  } satisfies UniformFigures;
  const u = results.uniform;
  bench.log(
    `  uniform: clearing price ${u.clearingPrice}, ${u.rebated} receipts rebated ${u.rebateTotal} points; closed ${u.closedAfterEndMs} ms after the end`,
  );
}
