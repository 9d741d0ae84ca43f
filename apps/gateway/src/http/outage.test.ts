import { createDb } from '@dutch/db';
import { connectRedis } from '@dutch/stream';
import { randomPrefix, redisUrl } from '@dutch/testkit';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Gateway } from '../app.ts';
import { loadConfig } from '../config.ts';

/**
 * Postgres unreachable: routes that need it answer 503 SERVICE_UNAVAILABLE (retry), never 500.
 * drizzle wraps the driver's connection error in its own (DrizzleQueryError): the error handler
 * must recognise the outage through it.
 */
let gateway: Gateway;
let close: () => Promise<void>;

beforeAll(async () => {
  // Nothing listens on port 1: every connection is refused at once.
  const databaseUrl = 'postgres://postgres@127.0.0.1:1/none';
  const db = createDb(databaseUrl, { max: 1, connectTimeoutSeconds: 1 });
  const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
  const subscriber = connectRedis({ url: redisUrl(), clusterNodes: null }, { enableAutoPipelining: false });
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl(),
    KEY_PREFIX: randomPrefix(),
    SHARDS: '2',
    LOG_LEVEL: 'silent',
  });
  gateway = createApp({ config, db: db.db, sql: db.sql, redis, subscriber, logger: pino({ level: 'silent' }) });
  close = async () => {
    await gateway.close();
    redis.disconnect();
    await db.close();
  };
});
afterAll(async () => {
  await close();
});

const TOKEN = `dat_${'1'.repeat(32)}_${'A'.repeat(43)}`;

describe('Postgres down', () => {
  it.each([
    ['GET', '/members/me', undefined],
    ['POST', '/members', { name: 'Ada' }],
    ['POST', '/members/me/points', { amount: 5 }],
    ['GET', '/auctions', undefined],
    ['GET', '/auctions/01900000-0000-7000-8000-000000000000', undefined],
    ['POST', '/auctions/01900000-0000-7000-8000-000000000000/bids', { quantity: 1, maxPrice: 10 }],
  ])('%s %s answers 503 SERVICE_UNAVAILABLE with Retry-After, not 500', async (method, path, body) => {
    const response = await gateway.app.request(path, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(Object.keys(json)).toEqual(['error']);
    expect(json.error.code).toBe('SERVICE_UNAVAILABLE');
  });
});
