import cluster from 'node:cluster';
import { configOrExit } from '@dutch/config';
import { createDb } from '@dutch/db';
import {
  answerMetricsRequests,
  FATAL_EXIT_CODE,
  handleShutdown,
  keepTrying,
  metricsFromLauncher,
  send,
} from '@dutch/runtime';
import { connectRedis, type RedisClient } from '@dutch/stream';
import { serve } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import { type AppDeps, createApp, type Gateway } from './app.ts';
import { type GatewayConfig, loadConfig } from './config.ts';
import { answerClientErrors } from './http/client-errors.ts';
import { createGatewayMetrics } from './http/metrics.ts';
import { describeListenError } from './listen-errors.ts';
import { checkRedisDurability, redisWhere } from './redis-durability.ts';

export interface RunGatewayOptions {
  /** Routes beside the API: the launcher mounts the live page here (@dutch/web). */
  readonly extraRoutes?: AppDeps['extraRoutes'];
}

/**
 * One gateway process: reads its config, connects, waits for Redis and Postgres, listens, and
 * stops cleanly on SIGTERM/SIGINT. server.ts runs it alone; the launcher runs it per worker.
 */
export async function runGateway(options: RunGatewayOptions = {}): Promise<void> {
  const config = configOrExit(loadConfig);
  const logger = pino({ level: config.logLevel, base: { gateway: process.pid } });
  const db = createDb(config.databaseUrl, {
    max: config.pgPoolSize,
    applicationName: `gateway ${process.pid}`,
    statementTimeoutMs: config.pgStatementTimeoutMs,
  });
  const bidPathReads = createDb(config.databaseUrl, {
    max: Math.max(2, Math.ceil(config.pgPoolSize / 2)),
    applicationName: `gateway ${process.pid} reads`,
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
    db: db.db,
    sql: db.sql,
    bidPathReads: bidPathReads.sql,
    redis,
    subscriber,
    logger,
    metrics,
    collectMetrics: metricsFromLauncher(() => metrics.registry.metrics()),
    extraRoutes: options.extraRoutes,
  });

  // Redis or Postgres may still be starting: keep trying rather than crash-looping.
  await keepTrying(() => startGateway(gateway, redis, config, logger), {
    baseMs: 400,
    maxMs: 5_000,
    onRetry: (error, delay) =>
      logger.warn({ err: error, retryInMs: delay }, 'could not start yet (is Postgres/Redis up?)'),
  });
  const server = listen(gateway, config, logger);
  handleShutdown({
    graceMs: 10_000,
    stop: async (signal) => {
      logger.info({ signal }, 'gateway stopping');
      server.close();
      await gateway.close();
      await Promise.allSettled([db.close(), bidPathReads.close(), redis.quit()]);
    },
  });
}

/** A 202 is only as durable as Redis: refuses to take bids on a Redis weaker than REDIS_DURABILITY. */
async function startGateway(gateway: Gateway, redis: RedisClient, config: GatewayConfig, logger: Logger) {
  const where = config.redisClusterNodes === null ? redisWhere(config.redisUrl) : 'the cluster';
  const durability = await checkRedisDurability(redis, config.redisDurability, where);
  if (durability.problem !== null) {
    console.error(durability.problem);
    process.exit(1);
  }
  if (durability.warning !== null) logger.warn(durability.warning);
  await gateway.start();
}

function listen(gateway: Gateway, config: GatewayConfig, logger: Logger) {
  const server = serve({ fetch: gateway.app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info({ port: info.port }, 'gateway listening');
    send(process, { type: 'listening', port: info.port });
  });
  answerClientErrors(server);
  server.on('error', (error: NodeJS.ErrnoException) => {
    const line = describeListenError(error, config.port, config.host);
    if (line === null) throw error;
    // Under npm start the launcher prints the line once for all its gateways; alone, say it here.
    if (cluster.isWorker && send(process, { type: 'fatal', line }, () => process.exit(FATAL_EXIT_CODE))) return;
    console.error(line);
    process.exit(FATAL_EXIT_CODE);
  });
  return server;
}
