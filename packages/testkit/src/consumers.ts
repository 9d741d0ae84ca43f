import { type Consumer, type ConsumerConfig, createConsumer, loadConfig } from '@dutch/consumer';
import { openConsumerConnections } from '@dutch/consumer/connections';
import { connectRedis, type KeyLayout, type RedisClient } from '@dutch/stream';
import { redisUrl } from './urls.ts';

export interface TestConsumer {
  readonly consumer: Consumer;
  readonly config: ConsumerConfig;
  /** The application_name of every Postgres connection of this consumer. */
  readonly applicationName: string;
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

/**
 * A consumer with connections of its own, as a separate process would have. `clock`: its time
 * (default real time); a test gateway shares its own, so travel() ends and closes auctions.
 */
export function startTestConsumer(
  databaseUrl: string,
  layout: KeyLayout,
  name: string,
  extra: Record<string, string> = {},
  clock?: () => number,
): TestConsumer {
  const config = loadConfig(consumerEnv(databaseUrl, layout, { CONSUMER_NAME: name, ...extra }));
  const db = openConsumerConnections(databaseUrl, { consumerName: `test ${name}`, poolSize: 4 });
  const redis: RedisClient = connectRedis({ url: config.redisUrl, clusterNodes: config.redisClusterNodes });
  const consumer = createConsumer({ config, sql: db.sql, lockSql: db.lockSql, redis, ...(clock && { clock }) });
  return {
    consumer,
    config,
    applicationName: db.applicationName,
    async close() {
      await consumer.stop();
      await Promise.allSettled([db.close(), redis.quit()]);
    },
  };
}
