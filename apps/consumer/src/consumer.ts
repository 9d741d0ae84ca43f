import type { Sql } from '@dutch/db';
import { allStreamKeys, consumersKey, type KeyLayout, type RedisClient, type RedisTarget } from '@dutch/stream';
import pino, { type Logger } from 'pino';
import type { ConsumerConfig } from './config.ts';
import { type ConsumerMetrics, createConsumerMetrics, forgetShardGauges } from './metrics.ts';
import { lockClassId, ShardLocks, type Takeover } from './shard-locks.ts';
import { ShardWorker, type WorkerContext } from './shard-worker.ts';
import { ensureGroup } from './stream-io.ts';

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
  /** Takes every free shard, settles everything there is right now, and returns the entries handled. */
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
  const { config } = deps;
  const clock = deps.clock ?? Date.now;
  const logger = deps.logger ?? pino({ level: config.logLevel, base: { consumer: config.consumerName } });
  const metrics = deps.metrics ?? createConsumerMetrics({ consumer: config.consumerName });
  const layout: KeyLayout = { prefix: config.keyPrefix, shards: config.shards };
  const redisTarget: RedisTarget = { url: config.redisUrl, clusterNodes: config.redisClusterNodes };
  const locks = new ShardLocks(deps.lockSql, lockClassId(config.keyPrefix), config.shardTakeoverMs * LEASE_SHARE);
  const ctx: WorkerContext = {
    config,
    layout,
    redisTarget,
    sql: deps.sql,
    redis: deps.redis,
    locks,
    clock,
    logger,
    metrics,
  };

  const running = new Map<number, { worker: ShardWorker; done: Promise<void> }>();
  /** consumeOnce() keeps its workers, so a takeover's recovery runs once per ownership, as in start(). */
  const drainers = new Map<number, ShardWorker>();
  let timer: NodeJS.Timeout | null = null;
  let leaseTimer: NodeJS.Timeout | null = null;
  /** Who keeps the lease renewed: start() until stop(), or a consumeOnce() while it drains. */
  let leaseHolders = 0;
  let tick: Promise<void> = Promise.resolve();
  let stopping = false;
  let groupsReady = false;

  async function ensureGroups(): Promise<void> {
    if (groupsReady) return;
    await Promise.all(allStreamKeys(layout).map((key) => ensureGroup(deps.redis, key)));
    groupsReady = true;
  }

  /** Live consumers, from their heartbeats; a consumer silent for a few rounds is gone. */
  async function heartbeat(): Promise<number> {
    const now = clock();
    const key = consumersKey(layout);
    await deps.redis.hset(key, config.consumerName, String(now));
    const all = await deps.redis.hgetall(key);
    const window = Math.max(3 * config.rebalanceMs, 3_000);
    const stale = Object.entries(all)
      .filter(([, at]) => Number(at) < now - 60_000)
      .map(([name]) => name);
    if (stale.length > 0) await deps.redis.hdel(key, ...stale);
    return Object.values(all).filter((at) => Number(at) >= now - window).length;
  }

  /** Shards in an order that differs per consumer, so simultaneous starters pick different ones. */
  function preferredOrder(): number[] {
    let offset = 0;
    for (let i = 0; i < config.consumerName.length; i++)
      offset = (offset * 31 + config.consumerName.charCodeAt(i)) >>> 0;
    return Array.from({ length: config.shards }, (_, i) => (i + offset) % config.shards);
  }

  function startWorker(shard: number): void {
    const worker = new ShardWorker(ctx, shard);
    const done = worker
      .run()
      .catch((error: unknown) => logger.error({ err: error, shard }, 'shard worker crashed'))
      .finally(() => {
        if (running.get(shard)?.worker === worker) running.delete(shard);
        // Its gauges describe a stream this consumer no longer reads: the new owner reports it.
        forgetShardGauges(metrics, shard);
        if (!stopping && locks.owned().has(shard)) {
          // The worker left while we still hold the lock (it lost a race or crashed): give the shard back.
          locks.release(shard).catch(() => {});
        }
      });
    running.set(shard, { worker, done });
  }

  async function stopWorker(shard: number): Promise<void> {
    const entry = running.get(shard);
    if (entry !== undefined) {
      entry.worker.stop();
      await entry.done;
    }
    await locks.release(shard);
  }

  async function rebalance(): Promise<void> {
    await ensureGroups();
    const lost = await locks.verify();
    for (const shard of lost) {
      logger.warn({ shard }, 'lost shard lock (database connection dropped or ended by a takeover)');
      running.get(shard)?.worker.stop();
    }
    // Rejoin like a fresh consumer: the workers of lost shards are gone before any shard is taken.
    await Promise.all(lost.map((shard) => running.get(shard)?.done));
    let live = 1;
    try {
      live = Math.max(1, await heartbeat());
    } catch (error) {
      logger.warn({ err: error }, 'heartbeat failed; keeping current shards');
      return;
    }
    const target = Math.ceil(config.shards / live);
    const owned = [...locks.owned()];
    if (owned.length > target) {
      for (const shard of owned.slice(target)) {
        logger.info({ shard, target }, 'handing shard over to balance the consumers');
        await stopWorker(shard);
      }
    } else if (owned.length < target) {
      for (const shard of preferredOrder()) {
        if (locks.owned().size >= target) break;
        if (locks.owned().has(shard)) continue;
        if ((await locks.tryAcquire(shard)) || (await takeOverStale(shard))) logger.info({ shard }, 'took shard');
      }
    }
    for (const shard of locks.owned()) if (!running.has(shard)) startWorker(shard);
    metrics.ownedShards.set(locks.owned().size);
  }

  /** Ends a frozen owner's sessions (see ShardLocks.takeOver) and takes its shard. */
  async function takeOverStale(shard: number): Promise<boolean> {
    let takeover: Takeover | null;
    try {
      takeover = await locks.takeOver(shard, config.shardTakeoverMs);
    } catch (error) {
      logger.error({ err: error, shard }, 'could not end a stale shard owner (privilege? see docs/reliability.md)');
      return false;
    }
    if (takeover === null) return false;
    logger.warn({ shard, ...takeover }, 'shard owner silent past SHARD_TAKEOVER_MS: ended its sessions');
    return locks.tryAcquire(shard);
  }

  /** The lease: a query on the lock connection every tick, apart from rebalancing, which can wait on workers. */
  function holdLease(): () => void {
    if (leaseHolders++ === 0) scheduleLease();
    return () => {
      if (--leaseHolders > 0 || leaseTimer === null) return;
      clearTimeout(leaseTimer);
      leaseTimer = null;
    };
  }

  function scheduleLease(): void {
    // One timer at most, even when a renewal from a previous holder is still in flight.
    if (leaseTimer !== null) clearTimeout(leaseTimer);
    leaseTimer = null;
    if (stopping || leaseHolders === 0) return;
    leaseTimer = setTimeout(() => {
      locks
        .renew()
        .catch((error: unknown) => logger.warn({ err: error }, 'could not renew the shard lease; will retry'))
        .finally(scheduleLease);
    }, config.rebalanceMs);
  }

  function schedule(): void {
    if (stopping) return;
    timer = setTimeout(() => {
      tick = rebalance()
        .catch((error: unknown) => logger.warn({ err: error }, 'rebalance failed; will retry'))
        .finally(schedule);
    }, config.rebalanceMs);
  }

  let releaseLease = () => {};

  return {
    name: config.consumerName,
    metrics,
    async start() {
      await rebalance();
      schedule();
      releaseLease = holdLease();
      logger.info({ shards: [...locks.owned()].sort((a, b) => a - b) }, 'consumer started');
    },
    async stop() {
      stopping = true;
      if (timer !== null) clearTimeout(timer);
      releaseLease();
      releaseLease = () => {};
      await tick;
      for (const { worker } of running.values()) worker.stop();
      await Promise.all([...running.values()].map((entry) => entry.done));
      for (const shard of [...locks.owned()]) await locks.release(shard).catch(() => {});
      await deps.redis.hdel(consumersKey(layout), config.consumerName).catch(() => {});
      metrics.ownedShards.set(0);
      logger.info('consumer stopped');
    },
    async consumeOnce() {
      await ensureGroups();
      for (const shard of await locks.verify()) {
        drainers.delete(shard);
        forgetShardGauges(metrics, shard);
      }
      for (let shard = 0; shard < config.shards; shard++) {
        if (!locks.owned().has(shard)) await locks.tryAcquire(shard);
      }
      let handled = 0;
      // A long drain must not outlive the lease (its fence would lapse): renew it meanwhile.
      const release = holdLease();
      try {
        for (const shard of [...locks.owned()].sort((a, b) => a - b)) {
          const worker = drainers.get(shard) ?? new ShardWorker(ctx, shard);
          drainers.set(shard, worker);
          handled += await worker.drain();
        }
      } finally {
        release();
      }
      return handled;
    },
    ownedShards: () => [...locks.owned()].sort((a, b) => a - b),
  };
}
