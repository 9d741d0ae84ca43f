import { configOrExit } from '@dutch/config';
import { answerMetricsRequests, handleShutdown, keepTrying, send } from '@dutch/runtime';
import { connectRedis } from '@dutch/stream';
import pino from 'pino';
import { loadConfig } from './config.ts';
import { openConsumerConnections } from './connections.ts';
import { createConsumer } from './consumer.ts';
import { serveMetrics } from './serve-metrics.ts';

const config = configOrExit(loadConfig);

const logger = pino({ level: config.logLevel, base: { consumer: config.consumerName } });
const db = openConsumerConnections(config.databaseUrl, {
  consumerName: config.consumerName,
  poolSize: config.pgPoolSize,
});
const redis = connectRedis({ url: config.redisUrl, clusterNodes: config.redisClusterNodes });
redis.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));

const consumer = createConsumer({ config, sql: db.sql, lockSql: db.lockSql, redis, logger });
const metricsServer = serveMetrics(consumer.metrics.registry, config.metricsPort);

const shutdown = handleShutdown({
  graceMs: 15_000,
  onForced: () => logger.error('did not stop within 15 s; exiting (unacknowledged entries will be redelivered)'),
  stop: async (signal) => {
    logger.info({ signal }, 'stopping: finishing the batches in hand');
    await consumer.stop();
    metricsServer?.close();
    await Promise.allSettled([db.close(), redis.quit()]);
  },
});

// Under the launcher, metrics are collected over IPC and served with the gateway's.
answerMetricsRequests(() => consumer.metrics.registry.getMetricsAsJSON());

// Postgres or Redis may still be starting (docker compose, CI): keep trying instead of crash-looping.
await keepTrying(() => consumer.start(), {
  baseMs: 400,
  maxMs: 5_000,
  stopped: shutdown.stopping,
  onRetry: (error, delay) =>
    logger.warn({ err: error, retryInMs: delay }, 'could not start yet (is Postgres/Redis up?)'),
});
send(process, { type: 'ready' });
