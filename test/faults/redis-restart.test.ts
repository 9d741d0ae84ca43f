import { allStreamKeys } from '@dutch/stream';
import { api, bidJobs, burst, checkInvariants, inFlightAt, openMarket, sleep, waitFor } from '@dutch/testkit';
import { startConsumerProcess } from '@dutch/testkit/servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burstUntilAnswered, type FaultStack, reportFigures, settleAndAssert, startFaultStack } from './harness.ts';

/**
 * Fault 2: Redis killed (kill -9: no shutdown, no last flush) in the middle of a burst and
 * started again on the same data directory. With appendonly yes and appendfsync always, Redis
 * fsyncs a bid before the gateway can answer 202: no bid that got a 202 is lost. Clients whose
 * request got no answer retry with the same Idempotency-Key, so every bid ends with exactly one
 * receipt. (With appendfsync everysec, up to about a second of 202s could be lost: see
 * docs/reliability.md. The gateways run with REDIS_DURABILITY=always, which checks the setting.)
 */
const BIDS = 10_000;

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack('redis-restart', {
    redisArgs: ['--appendonly', 'yes', '--appendfsync', 'always'],
    gateways: 2,
    consumers: 2,
    gatewayEnv: { REDIS_DURABILITY: 'always' },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('Redis restarted during a burst', () => {
  it('kill -9 and restart with appendfsync always: no bid that got a 202 is lost, none is doubled', async () => {
    const market = await openMarket(stack.gateways[0]?.url as string, {
      auctions: 6,
      buyersPerAuction: 30,
      stock: 2_000,
    });
    const jobs = bidJobs(market, BIDS, 3);

    const { load, answered: acceptedBeforeCrash } = await burstUntilAnswered(
      jobs,
      { targets: stack.gateways.map((g) => g.url), concurrency: 48 },
      BIDS * 0.3,
      'a third of the burst',
    );
    const crashedAt = Date.now();
    await stack.redis.kill('SIGKILL');
    await sleep(1_000);
    await stack.redis.start();
    const downMs = Date.now() - crashedAt;

    const report = await load;
    expect(report.serverErrors).toEqual([]);
    expect(report.unanswered).toBe(0);
    const interrupted = report.accepted.filter((bid) => bid.interrupted);

    const checked = await settleAndAssert(stack, market, report.accepted);
    // Nothing crashed because Redis went away for a moment.
    for (const process of [...stack.gateways, ...stack.consumers])
      expect(process.unexpectedExits(), `${process.name}:\n${process.output().slice(-3_000)}`).toBe(0);

    reportFigures('redis-restart', {
      bidsSent: report.sent,
      accepted202: report.accepted.length,
      refused: Object.fromEntries(report.refused),
      answeredBeforeCrash: acceptedBeforeCrash,
      accepted202InFlightAtCrash: inFlightAt(report.accepted, crashedAt),
      redisDownMs: downMs,
      attemptsWithoutAnswer: report.networkErrors,
      answered503: report.unavailable,
      bidsRetriedToAnAnswer:
        interrupted.length + report.accepted.filter((b) => b.attempts > 1 && !b.interrupted).length,
      settled: checked.settled,
      purchased: checked.purchased,
      failed: checked.failed,
      lost: checked.lost,
      duplicates: checked.duplicates,
    });
  });
});

/**
 * The contrast, and proof that the drill's loss check bites: the same crash on a Redis without
 * an AOF (REDIS_DURABILITY=none, the default for a dev Redis) loses every bid not yet settled.
 * No consumer runs during the burst here, so that is all of them: their 202s were sent, and
 * their receipts now answer 404.
 */
describe('Redis without persistence, restarted', () => {
  let weak: FaultStack;
  beforeAll(async () => {
    weak = await startFaultStack('redis-no-aof', { gateways: 1, consumers: 0 });
  });
  afterAll(async () => {
    await weak?.close();
  });

  it('loses the unsettled bids: what REDIS_DURABILITY=always prevents', async () => {
    const gateway = weak.gateways[0]?.url as string;
    const market = await openMarket(gateway, { auctions: 2, buyersPerAuction: 10, stock: 1_000 });
    const report = await burst(bidJobs(market, 500, 9), { targets: [gateway], concurrency: 16 });
    expect(report.accepted).toHaveLength(500);

    await weak.redis.kill('SIGKILL');
    await weak.redis.start();
    const consumer = await startConsumerProcess(weak.sandbox, 'after-restart', weak.env);
    await waitFor(
      async () => {
        for (const key of allStreamKeys(weak.layout)) {
          if ((await weak.redisClient.exists(key)) === 0) return false;
        }
        return true;
      },
      60_000,
      'the consumer to recreate its streams',
    );
    for (const key of allStreamKeys(weak.layout)) expect(await weak.redisClient.xlen(key)).toBe(0);

    const checked = await checkInvariants({
      sql: weak.db.sql,
      accepted: report.accepted,
      auctionIds: market.auctions.map((a) => a.id),
    });
    expect(checked.lost).toBe(report.accepted.length);
    const first = report.accepted[0] as (typeof report.accepted)[0];
    const token = market.buyers.find((b) => b.id === first.buyerId)?.token;
    expect((await api(gateway, 'GET', `/receipts/${first.receiptId}`, { token })).status).toBe(404);
    expect(consumer.unexpectedExits()).toBe(0);

    reportFigures('redis-no-aof', { accepted202: report.accepted.length, lostAfterRedisCrash: checked.lost });
  });
});
