import { type Consumer, type ConsumerConfig, createConsumer, loadConfig } from '@dutch/consumer';
import { createDb } from '@dutch/db';
import { connectRedis, type KeyLayout, type RedisClient } from '@dutch/stream';
import { redisUrl } from './urls.ts';

export interface TestConsumer {
  readonly consumer: Consumer;
  readonly config: ConsumerConfig;
  close(): Promise<void>;
}

export function consumerEnv(
  databaseUrl: string,
  layout: KeyLayout,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl(),
    KEY_PREFIX: layout.prefix,
    SHARDS: String(layout.shards),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    BLOCK_MS: '100',
    REBALANCE_MS: '100',
    ...extra,
  };
}

/** A consumer with connections of its own, as a separate process would have. */
export function startTestConsumer(
  databaseUrl: string,
  layout: KeyLayout,
  name: string,
  extra: Record<string, string> = {},
): TestConsumer {
  const config = loadConfig(consumerEnv(databaseUrl, layout, { CONSUMER_NAME: name, ...extra }));
  const pool = createDb(databaseUrl, { max: 4, applicationName: `test consumer ${name}` });
  const locks = createDb(databaseUrl, { max: 1, applicationName: `test consumer ${name} locks` });
  const redis: RedisClient = connectRedis({ url: config.redisUrl, clusterNodes: config.redisClusterNodes });
  const consumer = createConsumer({ config, sql: pool.sql, lockSql: locks.sql, redis });
  return {
    consumer,
    config,
    async close() {
      await consumer.stop();
      await Promise.allSettled([pool.close(), locks.close(), redis.quit()]);
    },
  };
}
