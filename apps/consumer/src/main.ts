import { configOrExit } from '@dutch/config';
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

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping: finishing the batches in hand');
  const force = setTimeout(() => {
    logger.error('did not stop within 15 s; exiting (unacknowledged entries will be redelivered)');
    process.exit(1);
  }, 15_000);
  force.unref();
  await consumer.stop();
  metricsServer?.close();
  await Promise.allSettled([db.close(), redis.quit()]);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

// Under the launcher, metrics are collected over IPC and served with the gateway's.
process.on('message', (message: unknown) => {
  if ((message as { type?: string })?.type === 'metrics-request' && process.send) {
    const id = (message as { id: number }).id;
    consumer.metrics.registry
      .getMetricsAsJSON()
      .then((metrics) => process.send?.({ type: 'metrics-response', id, metrics }))
      .catch(() => process.send?.({ type: 'metrics-response', id, metrics: [] }));
  }
});

// Postgres or Redis may still be starting (docker compose, CI): keep trying instead of crash-looping.
for (let attempt = 1; ; attempt++) {
  try {
    await consumer.start();
    break;
  } catch (error) {
    if (stopping) break;
    const delay = Math.min(200 * 2 ** attempt, 5_000);
    logger.warn({ err: error, retryInMs: delay }, 'could not start yet (is Postgres/Redis up?)');
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
process.send?.({ type: 'ready' });
