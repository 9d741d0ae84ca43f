/**
 * The gateway scenario (issue 14): the gateway's accept path against bare hono in paired
 * trials. One hot auction whose row the bench holds, so nothing settles and every bid takes the
 * whole accept path; then TRIALS times bare hono and the gateway back to back, in alternating
 * order, each run measured for CPU and, from traced GCs, bytes allocated per request. The engine
 * of this scenario traces its GCs, so it is its own, stopped at the end.
 */
import { type Bench, engine, referenceServer, stopEngine, stopServer } from './context.ts';
import { orderOf, pairTrial, sideOf, TRIALS } from './gateway-trials.ts';
import { AllocationMeter, allocatedBetween } from './gc-trace.ts';
import type { LoadPlan, LoadResult } from './load.ts';
import {
  figuresOf,
  fire,
  holdAuctions,
  reportChecks,
  snapshotPoints,
  transportOf,
  verifyPhase,
  waitUntilFinal,
  warmUp,
} from './phases.ts';
import { descendantsWithRole, type Stack } from './processes.ts';
import { kb } from './report-format.ts';
import { serverCores } from './report-targets.ts';
import type { GatewayFigures, GatewayTrial, RunResults } from './results.ts';
import { countOutcomes, createSellers, HOT, measureMemory, POINTS_REFUSED } from './scenario-shared.ts';
import { createAuctions } from './seed.ts';
import { countAccepted, round } from './stats.ts';
import type { Check } from './verify.ts';
import { checkTransport } from './verify-balances.ts';

/** What one side of a trial fires at, and whose GCs count for it. */
interface Side {
  readonly label: 'bare hono' | 'gateway (settlement held)';
  readonly url: string;
  readonly auctionFor: LoadPlan['auctionFor'];
  readonly pids: () => number[];
}

interface Measured {
  readonly run: LoadResult;
  readonly allocatedBytes: number | null;
}

interface Pair {
  readonly bare: Measured;
  readonly gateway: Measured;
}

export async function runGateway(bench: Bench, results: RunResults): Promise<void> {
  const meter = new AllocationMeter();
  const stack = await engine(bench, meter);
  try {
    results.gateway = await measureGateway(bench, results, stack, meter);
  } finally {
    // Its workers trace their GCs: no other scenario may run on this engine.
    await stopEngine(bench);
  }
}

async function measureGateway(
  bench: Bench,
  results: RunResults,
  stack: Stack,
  meter: AllocationMeter,
): Promise<GatewayFigures> {
  await warmUp(bench, stack.url);
  stack.takeWarnings();
  bench.rss.reset();
  const sellers = await createSellers(bench);
  const [hot] = await createAuctions(bench.client, sellers, 1, HOT, 'gateway: paired trials');
  if (hot === undefined) throw new Error('no auction');
  const startPoints = await snapshotPoints(bench, sellers);
  const gateway: Side = {
    label: 'gateway (settlement held)',
    url: stack.url,
    auctionFor: () => hot.id,
    pids: () => stack.gatewayPids(),
  };
  const { pairs, warm } = await runHeldTrials(bench, meter, gateway);
  const gatewayRuns = [warm, ...pairs.map((p) => p.gateway.run)];
  const accepted = countAccepted(gatewayRuns);
  bench.log(`  ${accepted.toLocaleString('en-US')} bids queued for one auction; settlement released`);
  await waitUntilFinal(bench, [hot.id], accepted);
  const verified = await verifyPhase(bench, {
    auctions: [hot],
    runs: gatewayRuns,
    startPoints,
    queued: true,
    expected: ['202', POINTS_REFUSED],
  });
  const checks = [...verified.checks, checkBareRuns(pairs.map((p) => p.bare.run))];
  reportChecks(bench, 'gateway (paired trials)', checks);
  results.verification.push({
    phase: `gateway: ${TRIALS} paired trials against bare hono, settlement held, then released`,
    checks,
  });
  const trials = pairs.map((pair, i) => judgeTrial(i + 1, pair));
  for (const t of trials) logTrial(bench, t);
  const h = meter.health;
  bench.log(
    `  GC trace: ${h.gcs} GCs, ${h.samples} heap samples, ${h.garbled} unreadable lines, ${h.falls} falls without a GC (${h.fallsBeyondRounding} beyond rounding)`,
  );
  return {
    trials,
    accepted,
    outcomes: countOutcomes(verified.receipts),
    gcTrace: { ...h },
    memory: measureMemory(bench),
    engineWarnings: stack.takeWarnings(),
  };
}

/**
 * Starts bare hono beside the engine, holds the auction's row, runs the trials, lets go. Before
 * the trials the gateway takes bids for a few seconds, unmeasured (verified with the rest): the
 * warm-up's bids are all refused (a scheduled auction), so without this the first trial would
 * measure the JIT compiling the accept path of a process that has not accepted a bid yet.
 */
async function runHeldTrials(
  bench: Bench,
  meter: AllocationMeter,
  gateway: Side,
): Promise<{ pairs: Pair[]; warm: LoadResult }> {
  const server = await referenceServer(bench, 'bare-server.ts', {}, meter);
  try {
    await warmUp(bench, server.url);
    const bare: Side = {
      label: 'bare hono',
      url: server.url,
      auctionFor: () => bench.warmupAuctionId,
      // Its node:cluster workers, not tsx's esbuild service beside them.
      pids: () => descendantsWithRole(server.child.pid, 'bare'),
    };
    const hot = gateway.auctionFor(0);
    const hold = await holdAuctions(bench, [hot]);
    try {
      const warm = await fire(
        bench,
        'gateway: accept path warm-up (unmeasured)',
        gateway.url,
        gateway.auctionFor,
        undefined,
        3,
      );
      const pairs: Pair[] = [];
      for (let trial = 1; trial <= TRIALS; trial++) pairs.push(await runTrial(bench, meter, trial, bare, gateway));
      return { pairs, warm };
    } finally {
      await hold.release();
    }
  } finally {
    await stopServer(bench, server);
  }
}

async function runTrial(bench: Bench, meter: AllocationMeter, trial: number, bare: Side, gateway: Side): Promise<Pair> {
  const bareFirst = orderOf(trial) === 'bare first';
  const first = await fireMeasured(bench, meter, trial, bareFirst ? bare : gateway);
  const second = await fireMeasured(bench, meter, trial, bareFirst ? gateway : bare);
  return bareFirst ? { bare: first, gateway: second } : { bare: second, gateway: first };
}

/** One run, with the bytes its server's workers allocated from just before it to just after. */
async function fireMeasured(bench: Bench, meter: AllocationMeter, trial: number, side: Side): Promise<Measured> {
  const pids = side.pids();
  const before = await meter.read(pids);
  const run = await fire(bench, `gateway trial ${trial} of ${TRIALS}: ${side.label}`, side.url, side.auctionFor);
  const after = await meter.read(pids);
  const allocatedBytes = allocatedBetween(before, after);
  if (allocatedBytes === null)
    bench.log(`  warning: no GC trace from ${side.label} (${pids.join(', ')}): allocation not measured`);
  return { run, allocatedBytes };
}

function judgeTrial(trial: number, pair: Pair): GatewayTrial {
  const bare = figuresOf(pair.bare.run);
  const gateway = figuresOf(pair.gateway.run);
  return pairTrial(
    trial,
    sideOf(bare, serverCores(bare, 'reference'), pair.bare.allocatedBytes),
    sideOf(gateway, serverCores(gateway, 'gateway'), pair.gateway.allocatedBytes),
  );
}

/**
 * Bare hono's runs are the yardstick: a refused or failed request there would flatter the
 * gateway. The phases' transport check, 202 alone expected; runs that answered nothing fail too,
 * since with no answers every count it checks is zero and it alone would pass them.
 */
function checkBareRuns(runs: readonly LoadResult[]): Check {
  const answers = runs.reduce((n, r) => n + r.responses, 0);
  const transport = checkTransport({ transport: transportOf(runs, ['202']) });
  return {
    name: 'bare hono answered every request 202, with no errors or timeouts',
    ok: answers > 0 && transport.ok,
    detail: `${answers.toLocaleString('en-US')} answers: ${transport.detail}`,
  };
}

function logTrial(bench: Bench, t: GatewayTrial): void {
  bench.log(
    `  trial ${t.trial} (${t.order}): gateway ${round(t.gateway.acceptedPerSecond, 0)} bids/s vs bare ${t.bare.run.rps}/s = ${round(t.ratio, 2)}×; ` +
      `p99 ${t.gateway.run.latencyMs.p99} vs ${t.bare.run.latencyMs.p99} ms = ${round(t.p99Ratio, 2)}×; ` +
      `allocated/request ${kb(t.gateway.bytesPerRequest)} vs ${kb(t.bare.bytesPerRequest)}; targets ${t.met.both ? 'met' : 'not met'}`,
  );
}
