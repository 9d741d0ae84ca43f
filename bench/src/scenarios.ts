/**
 * The scenarios of issues 5, 12 and 13. Each one seeds its own auctions, fires at the real engine (or a
 * reference server), waits until every receipt is final, and verifies the outcome. The spread
 * scenario lives here; the others have a file each and are re-exported.
 */
import { type Bench, engine } from './context.ts';
import type { LoadResult } from './load.ts';
import { figuresOf, fire, holdAuctions, reportChecks, verifyPhase, waitUntilFinal } from './phases.ts';
import type { RunResults, SpreadFigures } from './results.ts';
import {
  countOutcomes,
  cycleAuctions,
  measureDrain,
  measureMemory,
  POINTS_REFUSED,
  seedSpread,
} from './scenario-shared.ts';
import { countAccepted } from './stats.ts';

export { runBurst } from './scenario-burst.ts';
export { runGateway } from './scenario-gateway.ts';
export { measureBare, measureSync } from './scenario-references.ts';
export { runSniping } from './scenario-sniping.ts';
export { runSustained } from './scenario-sustained.ts';
export { runUniform } from './scenario-uniform.ts';
export { runWatchers } from './scenario-watchers.ts';

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
      cycleAuctions(auctions),
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
  const drain = measureDrain(verified.receipts, releasedAt, final.observedAt);
  bench.log(`  spread drained at ${drain.rate} bids/s (${drain.receipts} receipts)`);
  results.spread = {
    auctions: auctions.length,
    max: figuresOf(max),
    accepted: acceptedCount,
    outcomes: countOutcomes(verified.receipts),
    drain,
    memory: measureMemory(bench),
    engineWarnings: stack.takeWarnings(),
  } satisfies SpreadFigures;
}
