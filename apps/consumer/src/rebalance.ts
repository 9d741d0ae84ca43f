import type { Logger } from 'pino';
import type { ConsumerConfig } from './config.ts';
import type { ConsumerMetrics } from './metrics.ts';
import type { ShardLocks, Takeover } from './shard-locks.ts';
import type { ShardWorkers } from './shard-workers.ts';

export interface Rebalancing {
  readonly config: ConsumerConfig;
  readonly locks: ShardLocks;
  readonly workers: ShardWorkers;
  readonly logger: Logger;
  readonly metrics: ConsumerMetrics;
  readonly ensureGroups: () => Promise<void>;
  /** Live consumers, this one included. */
  readonly countLive: () => Promise<number>;
}

/**
 * One round: let go of shards whose lock is gone, then hold about shards / live consumers of
 * them (handing the surplus over, or taking free and stale ones), each with a running worker.
 */
export async function rebalance(r: Rebalancing): Promise<void> {
  const { config, locks, workers, logger, metrics } = r;
  await r.ensureGroups();
  // Rejoin like a fresh consumer: the workers of lost shards are gone before any shard is taken.
  await workers.stopLost(await locks.verify());
  let live = 1;
  try {
    live = Math.max(1, await r.countLive());
  } catch (error) {
    logger.warn({ err: error }, 'heartbeat failed; keeping current shards');
    return;
  }
  const target = Math.ceil(config.shards / live);
  const owned = [...locks.owned()];
  if (owned.length > target) await handOverSurplus(r, owned.slice(target), target);
  else if (owned.length < target) await takeShards(r, target);
  for (const shard of locks.owned()) if (!workers.has(shard)) workers.start(shard);
  metrics.ownedShards.set(locks.owned().size);
}

async function handOverSurplus(r: Rebalancing, surplus: readonly number[], target: number): Promise<void> {
  for (const shard of surplus) {
    r.logger.info({ shard, target }, 'handing shard over to balance the consumers');
    await r.workers.handOver(shard);
  }
}

async function takeShards(r: Rebalancing, target: number): Promise<void> {
  const { locks } = r;
  for (const shard of preferredOrder(r.config.consumerName, r.config.shards)) {
    if (locks.owned().size >= target) break;
    if (locks.owned().has(shard)) continue;
    if ((await locks.tryAcquire(shard)) || (await takeOverStale(r, shard))) r.logger.info({ shard }, 'took shard');
  }
}

/** Ends a frozen owner's sessions (see ShardLocks.takeOver) and takes its shard. */
async function takeOverStale(r: Rebalancing, shard: number): Promise<boolean> {
  const { locks, logger, config } = r;
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

/** Shards in an order that differs per consumer, so simultaneous starters pick different ones. */
function preferredOrder(name: string, shards: number): number[] {
  let offset = 0;
  for (let i = 0; i < name.length; i++) offset = (offset * 31 + name.charCodeAt(i)) >>> 0;
  return Array.from({ length: shards }, (_, i) => (i + offset) % shards);
}
