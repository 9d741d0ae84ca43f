import { captureLogs, startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import { createSandbox, type PrivateRedis, type Sandbox, startPrivateRedis } from '@dutch/testkit/servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 14: the bid fast path has no timer per request, and its bids wait on a batch; a Redis
 * that stops answering (SIGSTOP: the socket stays open, nothing comes back) must still get each
 * bid a clear 503 within REQUEST_TIMEOUT_MS and a little, never a hang, and bids must be taken
 * again once Redis answers. A Redis of the test's own: the shared one is never stopped.
 */
const TIMEOUT_MS = 500;

let sandbox: Sandbox;
let redis: PrivateRedis;
let t: TestGateway;
const log = captureLogs();
beforeAll(async () => {
  sandbox = createSandbox('hung-redis');
  redis = await startPrivateRedis(sandbox);
  t = await startTestGateway({ REDIS_URL: redis.url, REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) }, { logger: log.logger });
});
afterAll(async () => {
  const pid = redis?.pid();
  if (pid !== null && pid !== undefined) process.kill(pid, 'SIGCONT');
  await t?.close();
  await sandbox?.cleanup();
});

describe('a bid while Redis is hung', () => {
  it('is answered 503 SERVICE_UNAVAILABLE with Retry-After in bounded time, and bids flow again after', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 100_000);
    const auction = await t.createAuction(seller.token);
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const bid = (key: string) =>
      t.request('POST', `/auctions/${auction.id}/bids`, {
        token: buyer.token,
        body: { quantity: 1, maxPrice: 1000 },
        headers: { 'idempotency-key': key },
      });
    // Twice: the first loads the token (the chain), the second is the fast path's.
    expect((await bid('warm-1')).status).toBe(202);
    expect((await bid('warm-2')).status).toBe(202);

    const pid = redis.pid();
    if (pid === null) throw new Error('no redis');
    process.kill(pid, 'SIGSTOP');
    const started = Date.now();
    const answers = await Promise.all([bid('hung-1'), bid('hung-2'), bid('hung-3')]);
    const waited = Date.now() - started;
    process.kill(pid, 'SIGCONT');

    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(answer.body.error.message).toMatch(/Idempotency-Key/);
      expect(answer.headers.get('retry-after')).toBe('1');
      // Aggregated logs count it; a failure also gets a line of its own, by request id.
      const requestId = answer.headers.get('x-request-id');
      expect(log.lines).toContainEqual(expect.objectContaining({ msg: 'request', requestId, status: 503 }));
    }
    expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(waited).toBeLessThan(TIMEOUT_MS + 1_500);

    // Redis answers again: new bids are taken, and a retry of a 503'd bid learns its fate.
    await waitFor(async () => (await bid('after')).status === 202, 10_000, 'bids taken again');
    const retry = await bid('hung-1');
    expect(retry.status).toBe(202);
  });
});
