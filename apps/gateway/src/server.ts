import cluster from 'node:cluster';
import { configOrExit } from '@dutch/config';
import { createDb } from '@dutch/db';
import { connectRedis } from '@dutch/stream';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { createApp } from './app.ts';
import { answerMetricsRequests, metricsFromLauncher } from './cluster-metrics.ts';
import { loadConfig } from './config.ts';
import { answerClientErrors } from './http/client-errors.ts';
import { createGatewayMetrics } from './http/metrics.ts';
import { describeListenError, FATAL_EXIT_CODE } from './launch/port-check.ts';
import { mountWeb } from './mount-web.ts';
import { checkRedisDurability, redisWhere } from './redis-durability.ts';

const config = configOrExit(loadConfig);

const logger = pino({ level: config.logLevel, base: { gateway: process.pid } });
const {
  db,
  sql,
  close: closeDb,
} = createDb(config.databaseUrl, {
  max: config.pgPoolSize,
  applicationName: `gateway ${process.pid}`,
  statementTimeoutMs: config.pgStatementTimeoutMs,
});
const target = { url: config.redisUrl, clusterNodes: config.redisClusterNodes };
const redis = connectRedis(target);
const subscriber = connectRedis(target, { enableAutoPipelining: false });
for (const connection of [redis, subscriber])
  connection.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));

const metrics = createGatewayMetrics();
answerMetricsRequests(() => metrics.registry.getMetricsAsJSON());
const gateway = createApp({
  config,
  db,
  sql,
  redis,
  subscriber,
  logger,
  metrics,
  collectMetrics: metricsFromLauncher(() => metrics.registry.metrics()),
  extraRoutes: mountWeb,
});

// Redis or Postgres may still be starting: keep trying rather than crash-looping.
for (let attempt = 1; ; attempt++) {
  try {
    // A 202 is only as durable as Redis: refuse to take bids on a Redis weaker than REDIS_DURABILITY.
    const where = config.redisClusterNodes === null ? redisWhere(config.redisUrl) : 'the cluster';
    const durability = await checkRedisDurability(redis, config.redisDurability, where);
    if (durability.problem !== null) {
      console.error(durability.problem);
      process.exit(1);
    }
    if (durability.warning !== null) logger.warn(durability.warning);
    await gateway.start();
    break;
  } catch (error) {
    const delay = Math.min(200 * 2 ** attempt, 5_000);
    logger.warn({ err: error, retryInMs: delay }, 'could not start yet (is Postgres/Redis up?)');
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

const server = serve({ fetch: gateway.app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info({ port: info.port }, 'gateway listening');
  process.send?.({ type: 'listening', port: info.port });
});
answerClientErrors(server);
server.on('error', (error: NodeJS.ErrnoException) => {
  const line = describeListenError(error, config.port, config.host);
  if (line === null) throw error;
  // Under npm start the launcher prints the line once for all its gateways; alone, say it here.
  if (cluster.isWorker && process.send !== undefined) {
    process.send({ type: 'fatal', line }, () => process.exit(FATAL_EXIT_CODE));
  } else {
    console.error(line);
    process.exit(FATAL_EXIT_CODE);
  }
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'gateway stopping');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  server.close();
  await gateway.close();
  await Promise.allSettled([closeDb(), redis.quit()]);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
