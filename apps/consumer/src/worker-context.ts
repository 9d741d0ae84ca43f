import type { Sql } from '@dutch/db';
import type { KeyLayout, RedisClient, RedisTarget } from '@dutch/stream';
import type { Logger } from 'pino';
import type { ConsumerConfig } from './config.ts';
import type { DueCloses } from './due-closes.ts';
import { FencedOutError } from './fenced-out-error.ts';
import type { ConsumerMetrics } from './metrics.ts';
import type { Fence, ShardLocks } from './shard-locks.ts';

/** What a shard worker's reader, settler and upkeep share. */
export interface WorkerContext {
  readonly config: ConsumerConfig;
  readonly layout: KeyLayout;
  readonly redisTarget: RedisTarget;
  readonly sql: Sql;
  readonly redis: RedisClient;
  readonly locks: ShardLocks;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly metrics: ConsumerMetrics;
  /** The closer's looks for due closes, shared by the shards. */
  readonly dueCloses: DueCloses;
}

/**
 * Before anything that takes entries into our name or writes under our fence. A consumer that
 * froze and woke after its shard was taken over must not take newer entries than the new owner
 * has settled: its lease lapses locally (ShardLocks), so this check fails at once after waking.
 */
export function requireFence(ctx: WorkerContext, shard: number): Fence {
  const fence = ctx.locks.fence(shard);
  if (fence === null) throw new FencedOutError(shard);
  return fence;
}
