import { createDb } from '@dutch/db';
import { createApp, type Gateway } from '@dutch/gateway';
import { connectRedis, type RedisClient } from '@dutch/stream';
import pino from 'pino';
import type { TestGateway } from './gateway.ts';
import { redisUrl } from './urls.ts';

/** A second gateway beside a test gateway: another process, in effect, on the same Redis, Postgres and key prefix. */
export interface PeerGateway {
  readonly gateway: Gateway;
  /** Its events subscription, so a test can cut it. */
  readonly subscriber: RedisClient;
  close(): Promise<void>;
}

/** Starts a gateway with `t`'s config and clock on connections of its own (what crosses gateways only travels by events). */
export async function startPeerGateway(t: TestGateway): Promise<PeerGateway> {
  const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
  const subscriber = connectRedis({ url: redisUrl(), clusterNodes: null }, { enableAutoPipelining: false });
  const pool = createDb(t.db.url, { max: 4, applicationName: 'second gateway' });
  const gateway = createApp({
    config: t.gateway.context.config,
    db: pool.db,
    sql: pool.sql,
    redis,
    subscriber,
    clock: t.now,
    logger: pino({ level: 'silent' }),
  });
  await gateway.start();
  return {
    gateway,
    subscriber,
    async close() {
      await gateway.close();
      await redis.quit();
      await pool.close();
    },
  };
}
