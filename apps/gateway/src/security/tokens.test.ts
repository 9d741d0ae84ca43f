import { Writable } from 'node:stream';
import { createDb } from '@dutch/db';
import { connectRedis } from '@dutch/stream';
import { redisUrl, startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Gateway } from '../app.ts';
import { loadConfig } from '../config.ts';

/** Everything a logger writes, line by line. */
function capture(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, sink), lines };
}

/**
 * The secret part of a token (what would let someone in), and the whole token. Tokens are
 * `dat_<32 hex>_<secret>`, and the base64url secret may itself contain `_`.
 */
const SECRET_AT = 'dat_'.length + 32 + 1;
function secretsOf(token: string): string[] {
  return [token, token.slice(SECRET_AT)];
}

describe('tokens are never logged', () => {
  let t: TestGateway;
  const log = capture();
  beforeAll(async () => {
    t = await startTestGateway({ LOG_LEVEL: 'trace', LOG_REQUESTS: 'true' }, { logger: log.logger });
  });
  afterAll(async () => {
    await t.close();
  });

  it('not on sign-up, use, refusal, revocation, bids, errors or pages', async () => {
    const secrets: string[] = [];
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 10_000);
    secrets.push(...secretsOf(seller.token), ...secretsOf(buyer.token));
    const auction = await t.createAuction(seller.token, { startsIn: 0 });
    const second = await t.request('POST', '/members/me/tokens', { token: buyer.token });
    secrets.push(...secretsOf(second.body.token));

    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 1, maxPrice: 5_000 },
      headers: { 'idempotency-key': 'k1' },
    });
    expect(bid.status).toBe(202);
    await t.settle();
    for (const path of [
      '/members/me',
      `/receipts/${bid.body.receiptId}`,
      '/members/me/purchases',
      `/auctions/${auction.id}`,
    ]) {
      expect((await t.request('GET', path, { token: buyer.token })).status).toBe(200);
    }
    // Refusals of every kind, each carrying a token.
    const forged = `${buyer.token.slice(0, -6)}AAAAAA`;
    secrets.push(forged.slice(SECRET_AT));
    expect((await t.request('GET', '/members/me', { token: forged })).status).toBe(401);
    expect((await t.request('POST', '/members/me/points', { token: buyer.token, body: { amount: -1 } })).status).toBe(
      400,
    );
    expect((await t.request('GET', '/receipts/nope', { token: buyer.token })).status).toBe(400);
    expect(
      (
        await t.request('POST', `/auctions/${auction.id}/bids`, {
          token: seller.token,
          body: { quantity: 1, maxPrice: 5_000 },
        })
      ).status,
    ).toBe(409);
    expect((await t.request('GET', '/nowhere', { token: buyer.token })).status).toBe(404);
    // The token in places it does not belong: the query string, a custom header.
    await t.request('GET', `/auctions?token=${buyer.token}`, { headers: { 'x-api-key': buyer.token } });
    expect((await t.request('DELETE', '/members/me/tokens/current', { token: second.body.token })).status).toBe(204);
    expect((await t.request('GET', '/members/me', { token: second.body.token })).status).toBe(401);

    // The log is there, and says what happened...
    expect(log.lines.length).toBeGreaterThan(10);
    const requests = log.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');
    expect(requests.some((l) => l.status === 401)).toBe(true);
    expect(requests.some((l) => l.member === buyer.id)).toBe(true);
    // ...but never a token, nor the Authorization header.
    const all = log.lines.join('\n');
    for (const secret of secrets) expect(all).not.toContain(secret);
    expect(all.toLowerCase()).not.toContain('bearer');
    expect(all.toLowerCase()).not.toContain('authorization');
  });
});

describe('tokens while Postgres is down', () => {
  let down: Gateway;
  let close: () => Promise<void>;
  const log = capture();
  beforeAll(() => {
    const url = 'postgres://postgres@127.0.0.1:1/none';
    const db = createDb(url, { max: 1, connectTimeoutSeconds: 1 });
    const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
    const subscriber = connectRedis({ url: redisUrl(), clusterNodes: null }, { enableAutoPipelining: false });
    const config = loadConfig({
      DATABASE_URL: url,
      REDIS_URL: redisUrl(),
      KEY_PREFIX: 'tokens-down:',
      LOG_LEVEL: 'trace',
    });
    down = createApp({ config, db: db.db, sql: db.sql, redis, subscriber, logger: log.logger });
    close = async () => {
      await down.close();
      redis.disconnect();
      await db.close();
    };
  });
  afterAll(async () => {
    await close();
  });

  it('the failed lookup is logged (503) without the token', async () => {
    const token = `dat_${'a1'.repeat(16)}_${'Zz9-_'.repeat(8)}abc`;
    const response = await down.app.request('/members/me', { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(503);
    expect(log.lines.some((line) => line.includes('dependency unavailable'))).toBe(true);
    const all = log.lines.join('\n');
    for (const secret of secretsOf(token)) expect(all).not.toContain(secret);
  });
});

describe('revocation', () => {
  let t: TestGateway;
  let other: Gateway;
  let closeOther: () => Promise<void>;
  beforeAll(async () => {
    t = await startTestGateway();
    // A second gateway process's app: same database, same Redis prefix, its own token cache.
    const config = loadConfig({
      DATABASE_URL: t.db.url,
      REDIS_URL: redisUrl(),
      KEY_PREFIX: t.layout.prefix,
      SHARDS: String(t.layout.shards),
      LOG_LEVEL: 'silent',
    });
    const db = createDb(t.db.url, { max: 2 });
    const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
    const subscriber = connectRedis({ url: redisUrl(), clusterNodes: null }, { enableAutoPipelining: false });
    other = createApp({ config, db: db.db, sql: db.sql, redis, subscriber, logger: pino({ level: 'silent' }) });
    await other.start();
    closeOther = async () => {
      await other.close();
      redis.disconnect();
      await db.close();
    };
  });
  afterAll(async () => {
    await closeOther();
    await t.close();
  });

  it('a token revoked through one gateway is refused by the others, which had it cached', async () => {
    const member = await t.signUp('two devices', 100);
    const me = () => other.app.request('/members/me', { headers: { authorization: `Bearer ${member.token}` } });
    expect((await me()).status).toBe(200);
    expect((await t.request('DELETE', '/members/me/tokens/current', { token: member.token })).status).toBe(204);
    await waitFor(async () => (await me()).status === 401, 20_000, 'the other gateway to refuse the revoked token');
    const body = (await (await me()).json()) as { error: { code: string } };
    expect(body.error.code).toBe('UNAUTHENTICATED');
  });

  it('a token revoked while its event is lost is refused once its re-read comes due (60 to 90 s after loading)', async () => {
    const member = await t.signUp('missed revocation', 100);
    const me = () => t.request('GET', '/members/me', { token: member.token });
    expect((await me()).status).toBe(200);
    // Revoked in Postgres with no event published: only the cache's re-read can learn of it.
    await t.db.sql`update member_tokens set revoked_at = now() where member_id = ${member.id}`;
    expect((await me()).status).toBe(200);
    t.travel(91_000);
    await waitFor(async () => (await me()).status === 401, 10_000, 'the re-read to find the token revoked');
  });
});
