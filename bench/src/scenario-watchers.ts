/**
 * The watchers scenario (issue 13): thousands of members watch one running Dutch auction through
 * PUT /auctions/:id/watch, most with an alert price its one price drop reaches, a tenth with one it
 * never reaches. At the drop the consumers' scheduler stores every due price_alert (one set-based
 * statement, not one query per watcher); the bench measures from the drop until all are visible,
 * the rate they were stored at, and the live arrival on a sample of members' own event streams,
 * then verifies every watcher's inbox.
 */
import { type Bench, engine } from './context.ts';
import { cpuByRole, readCpu } from './cpu.ts';
import { notificationsOf, watchesOf } from './facts-watchers.ts';
import { runWatches, type WatchRequest, type WatchRun } from './load-watch.ts';
import type { MemberStream } from './member-streams.ts';
import { type DropObservation, observeDrop } from './phase-drop.ts';
import { countServed, cpuRoots, figuresOf, reportChecks, warmUp } from './phases.ts';
import { ms, n0 } from './report-format.ts';
import type { RunResults, WatchersFigures } from './results.ts';
import { measureMemory } from './scenario-shared.ts';
import { type Buyer, createBuyers } from './seed.ts';
import { createDutchAuction, sleepUntil, startAfter } from './seed-v2.ts';
import { round, roundSummary } from './stats.ts';
import { type StoredNotification, verifyWatchers } from './verify-watchers.ts';
import { alertTiming, dropIntervalFor, metAlertTarget, streamDelays } from './watchers-figures.ts';

/** One auction at 100 for its first interval, 90 for its second: exactly one drop, at a known instant. */
export const WATCH = {
  startPrice: 100,
  dropAmount: 10,
  /**
   * The drop comes at least this long after the start, and longer when the watches take longer:
   * they are taken after the start (so nobody is owed an auction_starting) and must all be in,
   * and the streams open, a second before it. How long they take is measured first, by the same
   * watches on the bench's scheduled warm-up auction (see dropIntervalFor).
   */
  minDropIntervalSeconds: 10,
  /** Unreached watchers, per reached one: their alert prices lie below anything the auction reaches. */
  unreachedShare: 0.1,
  /** Member streams opened across the drop: most of reached watchers, the rest of unreached ones. */
  streams: 200,
  streamsUnreached: 20,
} as const;

const priceAfter = WATCH.startPrice - WATCH.dropAmount;

export interface PlannedRequest extends WatchRequest {
  readonly reached: boolean;
}

/** Reached watchers alert at 90..99 (the drop takes 100 to 90), unreached ones at 50..89. */
export function planWatches(reached: readonly Buyer[], unreached: readonly Buyer[]): PlannedRequest[] {
  return [
    ...reached.map((watcher, i) => ({ watcher, alertPrice: priceAfter + (i % WATCH.dropAmount), reached: true })),
    ...unreached.map((watcher, i) => ({ watcher, alertPrice: priceAfter - 1 - (i % 40), reached: false })),
  ];
}

export async function runWatchers(bench: Bench, results: RunResults): Promise<void> {
  const stack = await engine(bench);
  const { seller, reached, unreached } = await seedWatchers(bench, stack.url);
  stack.takeWarnings();
  bench.rss.reset();
  const requests = planWatches(reached, unreached);
  const calibration = await calibrateWatches(bench, stack.url, requests);
  const { id, startsAt, dropAt } = await createDropAuction(stack.url, seller, calibration.interval);
  await sleepUntil(startsAt + 250);
  const watch = await takeWatches(bench, stack.url, id, requests, dropAt);
  const sample = [
    ...reached.slice(0, WATCH.streams - WATCH.streamsUnreached).map((buyer) => ({ buyer, reached: true })),
    ...unreached.slice(0, WATCH.streamsUnreached).map((buyer) => ({ buyer, reached: false })),
  ];
  const reachedIds = reached.map((b) => b.id);
  const observed = await observeDrop(bench, stack.url, { auctionId: id, dropAt, reachedIds, sample });
  const { streams } = observed;

  const notifications = await verifyInboxes(bench, results, { id, dropAt, requests, watch, streams });
  const alerts = notifications.filter((n) => n.kind === 'price_alert' && n.auctionId === id);
  const run = { reached, unreached, watch, calibration, dropAt, observed, alerts };
  results.watchers = summarizeWatchers(bench, run, stack.takeWarnings());
  const timing = results.watchers.alerts;
  bench.log(
    `  watchers: ${n0(timing.stored)} price_alerts in ${timing.transactions} transaction(s), all visible ${ms(timing.allVisibleAfterDropMs)} after the drop ` +
      `(last stamped ${ms(timing.lastStampAfterDropMs)} after it); ${n0(timing.storedPerSecond)}/s stored`,
  );
}

/** Reads back the auction's watches and every watcher's inbox, runs the checks; returns the notifications read. */
async function verifyInboxes(
  bench: Bench,
  results: RunResults,
  run: {
    readonly id: string;
    readonly dropAt: number;
    readonly requests: readonly PlannedRequest[];
    readonly watch: WatchRun;
    readonly streams: readonly MemberStream[];
  },
): Promise<StoredNotification[]> {
  const { sql } = bench.client;
  const planned = run.requests.map((r) => ({ memberId: r.watcher.id, alertPrice: r.alertPrice, reached: r.reached }));
  const [watches, notifications] = await Promise.all([
    watchesOf(sql, run.id),
    notificationsOf(
      sql,
      planned.map((p) => p.memberId),
    ),
  ]);
  const { load } = run.watch;
  const checks = verifyWatchers({
    auctionId: run.id,
    dropAt: run.dropAt,
    priceAfter,
    planned,
    answers: run.watch.answers,
    transport: { transportErrors: load.transportErrors, timeouts: load.timeouts },
    watches,
    notifications,
    streams: run.streams,
  });
  reportChecks(bench, 'watchers', checks);
  results.verification.push({ phase: 'watchers: one price drop, every watcher alerted once', checks });
  return notifications;
}

function summarizeWatchers(
  bench: Bench,
  run: {
    readonly reached: readonly Buyer[];
    readonly unreached: readonly Buyer[];
    readonly watch: WatchRun;
    readonly calibration: { readonly interval: number; readonly rate: number };
    readonly dropAt: number;
    readonly observed: DropObservation;
    readonly alerts: readonly StoredNotification[];
  },
  engineWarnings: Readonly<Record<string, number>>,
): WatchersFigures {
  const { dropAt } = run;
  const { streams, committedAt, notifiedAt } = run.observed;
  const alerts = alertTiming(run.alerts, dropAt, committedAt, notifiedAt);
  return {
    reached: run.reached.length,
    unreached: run.unreached.length,
    watch: figuresOf(run.watch.load),
    calibrationPerSecond: run.calibration.rate,
    drop: {
      at: new Date(dropAt).toISOString(),
      afterStartSeconds: run.calibration.interval,
      priceBefore: WATCH.startPrice,
      priceAfter,
    },
    alerts,
    withinOneSecond: metAlertTarget(alerts, run.reached.length),
    streams: {
      opened: streams.filter((s) => s.status === 200).length,
      reached: streams.filter((s) => s.reached).length,
      delayMs: roundSummary(streamDelays(streams, dropAt)),
    },
    memory: measureMemory(bench),
    engineWarnings,
  };
}

/** A seller and the watchers (no points: they only watch), with their tokens warm in every gateway worker. */
async function seedWatchers(bench: Bench, url: string) {
  const { sql } = bench.client;
  const count = bench.options.watchers;
  const [seller] = (await createBuyers(sql, [0], 'seller')) as [Buyer];
  const reached = await createBuyers(sql, new Array<number>(count).fill(0), 'watcher');
  const others = Math.ceil(count * WATCH.unreachedShare);
  const unreached = await createBuyers(sql, new Array<number>(others).fill(0), 'watcher');
  bench.log(`seeded ${n0(reached.length)} watchers the drop reaches and ${n0(unreached.length)} it does not`);
  await warmUp(bench, url, 2, [...reached, ...unreached]);
  return { seller, reached, unreached };
}

/**
 * The same watches, first on the bench's warm-up auction (scheduled an hour away, so they owe
 * nobody anything during the run): the watch route warm, and how long the real ones will take.
 */
async function calibrateWatches(bench: Bench, url: string, requests: readonly WatchRequest[]) {
  const run = await runWatches(url, bench.warmupAuctionId, requests, bench.options.connections);
  const interval = dropIntervalFor(requests.length, run.load.rps, WATCH.minDropIntervalSeconds);
  bench.log(
    `watchers: calibration, ${n0(run.load.responses)} × PUT watch on the scheduled warm-up auction at ${n0(run.load.rps)}/s: the drop comes ${interval} s after the start`,
  );
  return { interval, rate: round(run.load.rps, 0) };
}

/** 100 for one interval, then 90 until the end: the one drop is at startsAt + the interval. */
async function createDropAuction(url: string, seller: Buyer, intervalSeconds: number) {
  const startsAt = startAfter(1_500);
  const plan = {
    title: 'watchers: one price drop, thousands of alerts',
    startPrice: WATCH.startPrice,
    dropAmount: WATCH.dropAmount,
    dropIntervalSeconds: intervalSeconds,
    startsAt,
    durationSeconds: intervalSeconds * 2,
    stock: 1,
    perBuyerLimit: 1,
  };
  const id = await createDutchAuction(url, seller, plan, 'pay_as_bid');
  return { id, startsAt, dropAt: startsAt + intervalSeconds * 1000 };
}

/** Every watcher's PUT, after the start; they must all be in a second before the drop, or the run is void. */
async function takeWatches(
  bench: Bench,
  url: string,
  auctionId: string,
  requests: readonly WatchRequest[],
  dropAt: number,
): Promise<WatchRun> {
  bench.log(`watchers: ${n0(requests.length)} × PUT /auctions/:id/watch, ${bench.options.connections} connections`);
  const before = readCpu();
  const watch = await runWatches(url, auctionId, requests, bench.options.connections);
  const cpu = cpuByRole(before, readCpu(), await cpuRoots(bench));
  countServed(bench, url, watch.load);
  bench.log(`  ${n0(watch.load.responses)} answered at ${n0(watch.load.rps)}/s (p99 ${ms(watch.load.latency.p99)})`);
  const late = Date.now() - (dropAt - 1_000);
  if (late > 0)
    throw new Error(
      `the watches took ${late} ms longer than the calibration allowed for (the drop's last second had begun): the machine slowed down; run again`,
    );
  return { ...watch, load: { ...watch.load, cpu } };
}
