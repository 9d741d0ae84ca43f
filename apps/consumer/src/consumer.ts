import type { Sql } from '@dutch/db';
import { allStreamKeys, type KeyLayout, type RedisClient } from '@dutch/stream';
import pino, { type Logger } from 'pino';
import type { ConsumerConfig } from './config.ts';
import { DueCloses } from './due-closes.ts';
import { beatHeart, stopBeating } from './heartbeat.ts';
import { type ConsumerMetrics, createConsumerMetrics, forgetShardGauges } from './metrics.ts';
import { type Rebalancing, rebalance } from './rebalance.ts';
import { ShardLease } from './shard-lease.ts';
import { lockClassId, ShardLocks } from './shard-locks.ts';
import { ShardWorker } from './shard-worker.ts';
import { ShardWorkers } from './shard-workers.ts';
import { ensureGroup } from './stream-io.ts';
import { WatchAlerts } from './watch-alerts.ts';
import type { WorkerContext } from './worker-context.ts';

/**
 * The share of SHARD_TAKEOVER_MS a consumer trusts its locks after the last answer from their
 * connection: it stops using them on its own before another consumer may end that connection.
 */
const LEASE_SHARE = 0.8;

export interface ConsumerDeps {
  readonly config: ConsumerConfig;
  /** Pool for settlement transactions. */
  readonly sql: Sql;
  /** A dedicated single-connection client: it holds this consumer's shard locks. */
  readonly lockSql: Sql;
  /** For ordinary commands; each shard worker opens its own blocking connection. */
  readonly redis: RedisClient;
  readonly clock?: () => number;
  readonly logger?: Logger;
  readonly metrics?: ConsumerMetrics;
}

export interface Consumer {
  readonly name: string;
  readonly metrics: ConsumerMetrics;
  /** Joins the group and starts settling in the background. */
  start(): Promise<void>;
  /** Stops reading, finishes the batches in hand, acknowledges them, gives the shards back. */
  stop(): Promise<void>;
  /**
   * Takes every free shard, settles everything there is right now, and returns the entries
   * handled; then stores the watch alerts due by the clock (not counted in what it returns).
   */
  consumeOnce(): Promise<number>;
  ownedShards(): number[];
}

/**
 * A consumer process's settling engine. Shards are spread over the live consumers: each
 * consumer owns about shards / consumers of them, exclusively (a Postgres advisory lock), so
 * every stream has exactly one reader and its entries settle in stream order; when a consumer
 * dies its locks vanish with its connection and the others take its shards over, and when one
 * freezes the others end its sessions after SHARD_TAKEOVER_MS and do the same.
 */
export function createConsumer(deps: ConsumerDeps): Consumer {
  const ctx = createWorkerContext(deps);
  const { config, locks, logger, metrics } = ctx;
  let stopping = false;
  const lease = new ShardLease(locks, config.rebalanceMs, logger, () => stopping);
  const rebalancing: Rebalancing = {
    ...ctx,
    workers: new ShardWorkers(ctx, () => stopping),
    ensureGroups: ensureGroupsOnce(deps.redis, ctx.layout),
    countLive: () => beatHeart(deps.redis, ctx.layout, config.consumerName, config.rebalanceMs, ctx.clock()),
  };
  const rounds = scheduleRounds(rebalancing, () => stopping);
  /** consumeOnce() keeps its workers, so a takeover's recovery runs once per ownership, as in start(). */
  const drainers = new Map<number, ShardWorker>();
  let releaseLease = () => {};
  const ownedShards = () => [...locks.owned()].sort((a, b) => a - b);
  const alerts = new WatchAlerts(ctx);

  return {
    name: config.consumerName,
    metrics,
    async start() {
      await rebalance(rebalancing);
      rounds.schedule();
      releaseLease = lease.hold();
      alerts.start();
      logger.info({ shards: ownedShards() }, 'consumer started');
    },
    async stop() {
      stopping = true;
      releaseLease();
      releaseLease = () => {};
      await Promise.all([rounds.cancel(), alerts.stop()]);
      await rebalancing.workers.stopAll();
      for (const shard of [...locks.owned()]) await locks.release(shard).catch(() => {});
      await stopBeating(deps.redis, ctx.layout, config.consumerName).catch(() => {});
      metrics.ownedShards.set(0);
      logger.info('consumer stopped');
    },
    async consumeOnce() {
      const handled = await drainOwnedShards(ctx, { drainers, lease, ensureGroups: rebalancing.ensureGroups });
      await alerts.lookNow();
      return handled;
    },
    ownedShards,
  };
}

function createWorkerContext(deps: ConsumerDeps): WorkerContext {
  const { config } = deps;
  return {
    config,
    layout: { prefix: config.keyPrefix, shards: config.shards },
    redisTarget: { url: config.redisUrl, clusterNodes: config.redisClusterNodes },
    sql: deps.sql,
    redis: deps.redis,
    locks: new ShardLocks(deps.lockSql, lockClassId(config.keyPrefix), config.shardTakeoverMs * LEASE_SHARE),
    clock: deps.clock ?? Date.now,
    logger: deps.logger ?? pino({ level: config.logLevel, base: { consumer: config.consumerName } }),
    metrics: deps.metrics ?? createConsumerMetrics({ consumer: config.consumerName }),
    dueCloses: new DueCloses(deps.sql, config.closeGraceMs),
  };
}

/** Creates every shard's group the first time it is called; later calls cost nothing. */
function ensureGroupsOnce(redis: RedisClient, layout: KeyLayout): () => Promise<void> {
  let ready = false;
  return async () => {
    if (ready) return;
    await Promise.all(allStreamKeys(layout).map((key) => ensureGroup(redis, key)));
    ready = true;
  };
}

/** A rebalance round every rebalanceMs, each scheduled when the previous one ends, until stopped. */
function scheduleRounds(r: Rebalancing, stopping: () => boolean): { schedule(): void; cancel(): Promise<void> } {
  let timer: NodeJS.Timeout | null = null;
  let tick: Promise<void> = Promise.resolve();
  const schedule = (): void => {
    if (stopping()) return;
    timer = setTimeout(() => {
      tick = rebalance(r)
        .catch((error: unknown) => r.logger.warn({ err: error }, 'rebalance failed; will retry'))
        .finally(schedule);
    }, r.config.rebalanceMs);
  };
  return {
    schedule,
    /** Clears the next round and waits for one in flight. */
    async cancel() {
      if (timer !== null) clearTimeout(timer);
      await tick;
    },
  };
}

interface Draining {
  readonly drainers: Map<number, ShardWorker>;
  readonly lease: ShardLease;
  readonly ensureGroups: () => Promise<void>;
}

/** consumeOnce(): takes every free shard and settles all there is on each shard held, in shard order. */
async function drainOwnedShards(ctx: WorkerContext, d: Draining): Promise<number> {
  const { locks, metrics, config } = ctx;
  await d.ensureGroups();
  for (const shard of await locks.verify()) {
    d.drainers.delete(shard);
    forgetShardGauges(metrics, shard);
  }
  for (let shard = 0; shard < config.shards; shard++) {
    if (!locks.owned().has(shard)) await locks.tryAcquire(shard);
  }
  let handled = 0;
  // A long drain must not outlive the lease (its fence would lapse): renew it meanwhile.
  const release = d.lease.hold();
  try {
    for (const shard of [...locks.owned()].sort((a, b) => a - b)) {
      const worker = d.drainers.get(shard) ?? new ShardWorker(ctx, shard);
      d.drainers.set(shard, worker);
      handled += await worker.drain();
    }
  } finally {
    release();
  }
  return handled;
}
