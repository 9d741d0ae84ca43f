/**
 * The steps scenarios are made of: warm up, fire, wait until every receipt is final, read
 * back and verify, and the figures derived from what was read.
 */
import { auditLedger } from '@dutch/db';
import { receiptsOf } from '@dutch/testkit/receipts';
import { pointsOf } from '@dutch/testkit/seed';
import postgres from 'postgres';
import type { Bench } from './context.ts';
import { type CpuRoots, cpuByRole, readCpu } from './cpu.ts';
import { answeredReceipts, auctionFacts, countReceipts, queueDepth, queueState } from './facts.ts';
import { type LoadPlan, type LoadResult, runLoad } from './load.ts';
import { unexpectedAnswers } from './refusals.ts';
import type { Buyer, SeededAuction } from './seed.ts';
import { type Bin, logHistogram, round, roundSummary, type Summary, summarize } from './stats.ts';

import { type AnsweredReceipt, type Check, type ReceiptRow, type TransportState, verifyOutcome } from './verify.ts';

/**
 * Bids on a scheduled auction (each refused at once, AUCTION_NOT_RUNNING) from every buyer in
 * turn, `passes` times: each gateway worker loads most buyers' tokens into its cache and the
 * JIT warms up. Without it the first seconds of a run measure token look-ups in Postgres.
 */
export async function warmUp(
  bench: Bench,
  url: string,
  passes = 3,
  buyers: readonly Buyer[] = bench.buyers,
): Promise<LoadResult> {
  const started = Date.now();
  const run = await runLoad({
    name: 'warm-up',
    url,
    connections: bench.options.connections,
    durationSeconds: 120,
    amount: buyers.length * passes,
    buyerFor: (i) => i % buyers.length,
    buyers,
    auctionFor: () => bench.warmupAuctionId,
  });
  countServed(bench, url, run);
  bench.log(
    `warm-up: ${run.responses.toLocaleString('en-US')} requests in ${Date.now() - started} ms (${Math.round(run.rps)}/s, p99 ${run.latency.p99.toFixed(1)} ms)`,
  );
  return run;
}

export function countServed(bench: Bench, url: string, run: LoadResult): void {
  const role = bench.roles.get(url) ?? url;
  bench.served.set(role, (bench.served.get(role) ?? 0) + run.responses);
}

export async function fire(
  bench: Bench,
  name: string,
  url: string,
  auctionFor: LoadPlan['auctionFor'],
  overallRate?: number,
  seconds = bench.options.seconds,
  /** Other buyers, bodies or refusals to keep than a Dutch run's. */
  plan: Partial<Pick<LoadPlan, 'buyers' | 'bodyFor' | 'keepRefusals'>> = {},
): Promise<LoadResult> {
  bench.log(
    `${name}: ${bench.options.connections} connections, ${seconds} s${overallRate ? `, fixed rate ${Math.round(overallRate)}/s` : ''}`,
  );
  const before = readCpu();
  const run = await runLoad({
    name,
    url,
    connections: bench.options.connections,
    durationSeconds: seconds,
    buyers: bench.buyers,
    auctionFor,
    ...(overallRate === undefined ? {} : { overallRate }),
    ...plan,
  });
  const after = readCpu();
  countServed(bench, url, run);
  const cpu = cpuByRole(before, after, await cpuRoots(bench));
  return { ...run, cpu };
}

/** The processes CPU is counted by: this one, the engine's, the reference servers', this run's Postgres backends. */
export async function cpuRoots(bench: Bench): Promise<CpuRoots> {
  const backends = await bench.client.sql<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database()`;
  return {
    bench: process.pid,
    engine: bench.stack?.launcher.pid ?? null,
    references: [...bench.servers].flatMap((s) =>
      s.child.pid === undefined
        ? []
        : [{ pid: s.child.pid, role: `reference (${bench.roles.get(s.url) ?? 'server'})` }],
    ),
    ownBackends: new Set(backends.map((b) => b.pid)),
  };
}

/**
 * Holds the auctions' rows FOR UPDATE in a transaction of the bench's own, so the consumers'
 * settlement transactions for them wait on the row lock: the gateway keeps accepting (its
 * stock never drops) and a backlog builds up in the streams. The consumers stay alive and
 * responsive; only their first transaction waits. Resolves once the lock is held; call
 * release() to let settlement run.
 */
export async function holdAuctions(
  bench: Bench,
  auctionIds: readonly string[],
): Promise<{ release(): Promise<number> }> {
  const holder = postgres(bench.dbUrl, { max: 1, onnotice: () => {}, connection: { application_name: 'bench hold' } });
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked: () => void = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const done = holder
    .begin(async (tx) => {
      await tx`select id from auctions where id = any(${[...auctionIds]}::uuid[]) order by id for update`;
      locked();
      await released;
    })
    .finally(() => holder.end({ timeout: 5 }));
  await Promise.race([isLocked, done]);
  return {
    async release() {
      release();
      await done;
      return Date.now();
    },
  };
}

export async function snapshotPoints(bench: Bench, sellers: readonly string[]): Promise<Map<string, number>> {
  return pointsOf(bench.client.sql, [...bench.buyerIds, ...sellers]);
}

/** Polls until the streams are drained and acknowledged (every queued bid committed) and the receipts are there. */
export async function waitUntilFinal(
  bench: Bench,
  auctionIds: readonly string[],
  expectedReceipts: number,
  timeoutMs = 180_000,
): Promise<{ observedAt: number; timedOut: boolean }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const depth = await queueDepth(bench.redis, bench.layout);
    if (depth.lag === 0 && depth.pending === 0) {
      const count = await countReceipts(bench.client.sql, auctionIds);
      if (count >= expectedReceipts) return { observedAt: Date.now(), timedOut: false };
    }
    if (Date.now() > deadline) {
      bench.log(`warning: receipts still not final after ${timeoutMs} ms`);
      return { observedAt: Date.now(), timedOut: true };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface Verified {
  readonly checks: readonly Check[];
  readonly receipts: readonly ReceiptRow[];
  readonly answers: readonly AnsweredReceipt[];
}

/** Reads everything back and runs every check. */
export async function verifyPhase(
  bench: Bench,
  phase: {
    readonly auctions: readonly SeededAuction[];
    readonly runs: readonly LoadResult[];
    readonly startPoints: ReadonlyMap<string, number>;
    /** false for the synchronous design (no queue to drain). */
    readonly queued: boolean;
    /**
     * Answers the phase expects: a status ("202": any answer with it) or a status and code
     * ("409 INSUFFICIENT_POINTS"). Refusals for points are verified bid by bid.
     */
    readonly expected: readonly string[];
    /** Uniform pricing, once closed: each receipt's rebate. */
    readonly rebates?: ReadonlyMap<string, number>;
  },
): Promise<Verified> {
  const ids = phase.auctions.map((a) => a.id);
  const { sql } = bench.client;
  const answers = answeredReceipts(
    phase.runs.flatMap((r) => r.answers),
    bench.buyerIds,
  );
  const [receipts, auctions, audit] = await Promise.all([
    receiptsOf(sql, ids),
    auctionFacts(sql, ids),
    auditLedger(sql, { auctionIds: ids }),
  ]);
  const finalPoints = await pointsOf(sql, [...phase.startPoints.keys()]);
  const queue = phase.queued ? await queueState(bench.redis, bench.layout, answers) : null;
  const refusals = phase.runs.flatMap((r) =>
    r.pointsRefusals.map(({ buyer, ...rest }) => ({ ...rest, buyerId: bench.buyerIds[buyer] as string })),
  );
  const checks = verifyOutcome({
    auctions,
    receipts,
    answers,
    refusals,
    startPoints: phase.startPoints,
    finalPoints,
    unansweredAllowance: phase.runs.reduce((n, r) => n + r.connections, 0),
    queue,
    audit,
    transport: transportOf(phase.runs, phase.expected),
    ...(phase.rebates === undefined ? {} : { rebates: phase.rebates }),
  });
  return { checks, receipts, answers };
}

/** Whether the runs were all answered, with statuses (and codes) the phase expects. */
export function transportOf(runs: readonly LoadResult[], expected: readonly string[]): TransportState {
  const unexpected: Record<string, number> = {};
  let status5xx = 0;
  for (const run of runs) {
    for (const [status, n] of Object.entries(run.statuses)) if (Number(status) >= 500) status5xx += n;
    for (const [key, n] of Object.entries(unexpectedAnswers(run.statuses, run.statusCodes, expected))) {
      unexpected[key] = (unexpected[key] ?? 0) + n;
    }
  }
  return {
    transportErrors: runs.reduce((n, r) => n + r.transportErrors, 0),
    timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
    status5xx,
    unexpected,
  };
}

/** The figures of one autocannon run worth keeping (no per-request arrays). */
export interface RunFigures {
  readonly name: string;
  readonly connections: number;
  readonly seconds: number;
  readonly sent: number;
  readonly responses: number;
  readonly rps: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly codes: Readonly<Record<string, number>>;
  readonly transportErrors: number;
  readonly timeouts: number;
  readonly latencyMs: Summary;
  readonly schedule: LoadResult['schedule'];
  readonly histogram: readonly Bin[];
  /** Cores used per role during the run: where the machine's CPU went. */
  readonly cpu: LoadResult['cpu'];
}

export function figuresOf(run: LoadResult): RunFigures {
  return {
    name: run.name,
    connections: run.connections,
    seconds: round(run.durationMs / 1000, 2),
    sent: run.sent,
    responses: run.responses,
    rps: round(run.rps, 0),
    statuses: run.statuses,
    codes: run.codes,
    transportErrors: run.transportErrors,
    timeouts: run.timeouts,
    latencyMs: roundSummary(run.latency),
    schedule: run.schedule,
    histogram: logHistogram(run.latencies, 0.1, 10).map((b) => ({
      from: round(b.from, 3),
      to: round(b.to, 3),
      count: b.count,
    })),
    cpu: run.cpu,
  };
}

export function acceptSettleLatency(receipts: readonly ReceiptRow[]): Summary {
  return roundSummary(summarize(receipts.map((r) => r.settledAt - r.acceptedAt)));
}

export function reportChecks(bench: Bench, phase: string, checks: readonly Check[]): void {
  const failed = checks.filter((c) => !c.ok);
  bench.log(
    `${phase}: verification ${failed.length === 0 ? `passed (${checks.length} checks)` : `FAILED ${failed.length} of ${checks.length}`}`,
  );
  for (const c of checks) if (!c.ok) bench.log(`  FAIL ${c.name}: ${c.detail}`);
}
