import type { AddressInfo } from 'node:net';
import { auditLedger } from '@dutch/db';
import { createApp, loadConfig } from '@dutch/gateway';
import { answerClientErrors } from '@dutch/gateway/client-errors';
import { connectRedis } from '@dutch/stream';
import { mountWeb } from '@dutch/web';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { startTestConsumer } from './consumers.ts';
import { createTestDatabase } from './databases.ts';
import { deleteKeys, randomPrefix } from './redis.ts';
import { redisUrl } from './urls.ts';

export interface Stack {
  /** Base URL of the gateway, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** The engine's promises checked in its database (auditLedger): empty when all hold. */
  audit(): Promise<string[]>;
  /** The clock the gateway and the consumer share: real time plus whatever travel() added. */
  now(): number;
  /** Moves both clocks forward: auctions start, end and close without waiting. */
  travel(ms: number): void;
  stop(): Promise<void>;
}

/** The whole engine on a real socket (gateway with the live page, and a consumer), on a database and key prefix of its own. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const db = await createTestDatabase();
  const prefix = randomPrefix();
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl(),
    KEY_PREFIX: prefix,
    SHARDS: '2',
    LOG_LEVEL: 'silent',
    // Markets are opened through the API: hundreds of sign-ups from 127.0.0.1.
    SIGNUP_RATE_PER_MINUTE: '0',
    ...env,
  });
  let offset = 0;
  const clock = () => Date.now() + offset;
  const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
  const subscriber = connectRedis({ url: redisUrl(), clusterNodes: null }, { enableAutoPipelining: false });
  const gateway = createApp({
    config,
    db: db.db,
    sql: db.sql,
    redis,
    subscriber,
    clock,
    logger: pino({ level: 'silent' }),
    extraRoutes: mountWeb,
  });
  await gateway.start();
  const server = serve({ fetch: gateway.app.fetch, port: 0, hostname: '127.0.0.1' });
  answerClientErrors(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const consumer = startTestConsumer(db.url, { prefix, shards: config.shards }, 'stack', {}, clock);
  await consumer.consumer.start();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    audit: () => auditLedger(db.sql),
    now: clock,
    travel(ms) {
      offset += ms;
    },
    async stop() {
      await consumer.close();
      gateway.connections.closeAll();
      await new Promise((resolve) => server.close(resolve));
      await gateway.close();
      await deleteKeys(redis, prefix);
      await redis.quit();
      await db.drop();
    },
  };
}
