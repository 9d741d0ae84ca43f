import { api, bidJobs, inFlightAt, openMarket, sleep, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burstUntilAnswered, type FaultStack, reportFigures, settleAndAssert, startFaultStack } from './harness.ts';

/**
 * Fault 3: PostgreSQL stopped for 5 s in the middle of a burst, then started again.
 * - The gateways keep answering bids 202 (the bid path reads auctions and tokens from memory
 *   and writes only to Redis) and /ready answers 503 naming Postgres while it is down.
 * - The consumers back off and retry: no process exits, nothing is dead-lettered, no receipt
 *   FAILED because of the outage (every outcome equals the rules' replay), nothing lost.
 */
const BIDS = 10_000;
const OUTAGE_MS = 5_000;

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack('postgres-outage', { gateways: 2, consumers: 2 });
});
afterAll(async () => {
  await stack?.close();
});

describe('PostgreSQL stopped during a burst', () => {
  it('gateways keep accepting, /ready reports the outage, consumers retry and lose or fail nothing', async () => {
    const market = await openMarket(stack.gateways[0]?.url as string, {
      auctions: 6,
      buyersPerAuction: 30,
      stock: 2_000,
    });
    // Every gateway knows every buyer's token before the outage (as it would after their first request).
    for (const gateway of stack.gateways) {
      await Promise.all(market.buyers.map((b) => api(gateway.url, 'GET', '/members/me', { token: b.token })));
    }
    const jobs = bidJobs(market, BIDS, 5);

    const { load } = await burstUntilAnswered(
      jobs,
      { targets: stack.gateways.map((g) => g.url), concurrency: 48 },
      BIDS * 0.25,
      'a quarter of the burst',
    );

    await stack.pg.stop('fast');
    const downFrom = Date.now();
    // While it is down: /ready says so, on every gateway; a read that needs Postgres answers 503, not 500.
    const ready: { status: number; message: string | undefined; at: number }[] = [];
    const dbReads: { status: number; at: number }[] = [];
    let probing = true;
    const probes = (async () => {
      while (probing) {
        for (const gateway of stack.gateways) {
          const reply = await api(gateway.url, 'GET', '/ready');
          ready.push({ status: reply.status, message: reply.body?.error?.message, at: Date.now() });
        }
        const read = await api(stack.gateways[0]?.url as string, 'GET', `/auctions/${market.auctions[0]?.id}`);
        dbReads.push({ status: read.status, at: Date.now() });
        await sleep(250);
      }
    })();
    await sleep(OUTAGE_MS);
    probing = false;
    const downUntil = Date.now();
    await stack.pg.start();
    await probes;
    await waitFor(
      async () => {
        const replies = await Promise.all(stack.gateways.map((g) => api(g.url, 'GET', '/ready')));
        return replies.every((r) => r.status === 200);
      },
      60_000,
      '/ready to answer 200 again',
    );

    const report = await load;
    expect(report.serverErrors).toEqual([]);
    expect(report.unanswered).toBe(0);
    // The bid path never needed Postgres: 202s kept coming, and no bid was refused for the outage.
    const duringOutage = report.accepted.filter((b) => b.answeredAt > downFrom && b.answeredAt < downUntil).length;
    expect(duringOutage).toBeGreaterThan(0);
    expect(report.unavailable).toBe(0);
    // Probes answered while Postgres was down (a probe in flight at the restart may see it up).
    const readyDuring = ready.filter((probe) => probe.at < downUntil);
    expect(readyDuring.length).toBeGreaterThan(0);
    for (const probe of readyDuring) {
      expect(probe.status).toBe(503);
      expect(probe.message).toMatch(/^Not ready: postgres down/);
    }
    const readsDuring = dbReads.filter((read) => read.at < downUntil);
    expect(readsDuring.length).toBeGreaterThan(0);
    for (const read of readsDuring) expect(read.status).toBe(503);

    const checked = await settleAndAssert(stack, market, report.accepted);
    // Backed off and retried: no consumer (or gateway) exited, let alone crash-looped.
    for (const process of [...stack.gateways, ...stack.consumers])
      expect(process.unexpectedExits(), `${process.name}:\n${process.output().slice(-3_000)}`).toBe(0);
    const retries = stack.consumers
      .map((c) => c.output().match(/retrying|will retry|could not start yet/g)?.length ?? 0)
      .reduce((a, b) => a + b, 0);
    expect(retries).toBeGreaterThan(0);

    reportFigures('postgres-outage', {
      bidsSent: report.sent,
      accepted202: report.accepted.length,
      refused: Object.fromEntries(report.refused),
      postgresDownMs: downUntil - downFrom,
      accepted202InFlightAtStop: inFlightAt(report.accepted, downFrom),
      accepted202WhilePostgresDown: duringOutage,
      bidsAnswered503: report.unavailable,
      readyProbesDuringOutage: readyDuring.length,
      ready503: readyDuring.filter((probe) => probe.status === 503).length,
      dbReadsAnswered503: readsDuring.filter((read) => read.status === 503).length,
      consumerRetryLogLines: retries,
      consumerExits: stack.consumers.reduce((n, c) => n + c.unexpectedExits(), 0),
      settled: checked.settled,
      failed: checked.failed,
      lost: checked.lost,
      duplicates: checked.duplicates,
    });
  });
});
