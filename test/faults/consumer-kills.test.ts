import { bidJobs, burst, openMarket, prng, sleep } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FaultStack,
  pendingAt,
  reportFigures,
  settleAndAssert,
  startFaultStack,
  unsettledEntries,
} from './harness.ts';

/**
 * Fault 1: consumers SIGKILLed at random instants while a 20,000-bid burst comes in through
 * real gateway processes, each restarted after its kill. Every receipt ends final, exactly once,
 * in stream order, and each outcome is the one the rules give.
 */
const BIDS = 20_000;
const MIN_KILLS = 5;

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack('consumer-kills', {
    gateways: 2,
    consumers: 2,
    shards: 4,
    // Small batches: more of them in flight at any instant, so a kill lands mid-batch.
    consumerEnv: { BATCH_SIZE: '50', CLAIM_IDLE_MS: '2000' },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('consumers killed during a burst', () => {
  it(`${BIDS} bids, consumers SIGKILLed at random at least ${MIN_KILLS} times: every receipt final, once, in order`, async () => {
    const base = stack.gateways[0]?.url as string;
    const market = await openMarket(base, { auctions: 8, buyersPerAuction: 40, stock: 2_500, perBuyerLimit: 100 });
    const jobs = bidJobs(market, BIDS, 1);
    const random = prng(2);

    let done = false;
    const load = burst(jobs, { targets: stack.gateways.map((g) => g.url), concurrency: 48 }).finally(() => {
      done = true;
    });

    // The killer: a random consumer at a random instant, restarted at once (as the launcher would).
    let kills = 0;
    let killsDuringBurst = 0;
    let killsMidBatch = 0;
    let heldAtKills = 0;
    let backlogAtKills = 0;
    while (!done || kills < MIN_KILLS) {
      await sleep(300 + random() * 900);
      const victim = stack.consumers[Math.floor(random() * stack.consumers.length)];
      if (victim === undefined || !victim.alive()) continue;
      if (!done) killsDuringBurst++;
      backlogAtKills += await unsettledEntries(stack.redisClient, stack.layout);
      await victim.kill('SIGKILL');
      kills++;
      // What it had read and not acknowledged: left pending under its name, for the others to take over.
      const held = await pendingAt(stack.redisClient, stack.layout, victim.name);
      heldAtKills += held;
      if (held > 0) killsMidBatch++;
      await victim.restart();
      if (kills >= 30) break;
    }
    const report = await load;
    expect(report.serverErrors).toEqual([]);
    expect(report.unanswered).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(report.accepted.length).toBeGreaterThan(BIDS / 2);

    const checked = await settleAndAssert(stack, market, report.accepted);
    for (const consumer of stack.consumers) {
      expect(consumer.unexpectedExits(), `${consumer.name}:\n${consumer.output().slice(-3_000)}`).toBe(0);
    }

    reportFigures('consumer-kills', {
      bidsSent: report.sent,
      accepted202: report.accepted.length,
      refused: Object.fromEntries(report.refused),
      burstMs: report.durationMs,
      kills,
      killsDuringBurst,
      killsMidBatch,
      entriesHeldByKilledConsumers: heldAtKills,
      unsettledBidsInStreamsAtKills: backlogAtKills,
      settled: checked.settled,
      purchased: checked.purchased,
      failed: checked.failed,
      unitsSold: checked.unitsSold,
      lost: checked.lost,
      duplicates: checked.duplicates,
    });
  });
});
