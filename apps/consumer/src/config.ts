import { hostname } from 'node:os';
import { type CommonConfig, commonEnv, type Env, intVar, parseEnv, toCommonConfig } from '@dutch/config';
import { z } from 'zod';

const schema = z.object({
  ...commonEnv,
  CONSUMER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 letters, digits, _ . : -')
    .optional(),
  BATCH_SIZE: intVar(1, 10_000, 1000),
  BLOCK_MS: intVar(10, 60_000, 1000),
  CLAIM_IDLE_MS: intVar(100, 3_600_000, 30_000),
  MAX_DELIVERIES: intVar(1, 1000, 10),
  PG_POOL_SIZE: intVar(1, 100, 8),
  REBALANCE_MS: intVar(50, 60_000, 1000),
  SHARD_TAKEOVER_MS: intVar(500, 3_600_000, 10_000),
  CONSUMER_METRICS_PORT: intVar(0, 65_535, 0),
  CLOSE_GRACE_MS: intVar(0, 600_000, 2_000),
});

/**
 * A live owner renews its lease once per rebalance tick; a takeover bound close to that tick
 * would terminate live consumers that merely had a slow tick (a GC pause, a busy event loop).
 */
const TAKEOVER_TICKS = 5;

const checkedSchema = schema.superRefine((env, ctx) => {
  if (env.SHARD_TAKEOVER_MS < TAKEOVER_TICKS * env.REBALANCE_MS)
    ctx.addIssue({
      code: 'custom',
      path: ['SHARD_TAKEOVER_MS'],
      message: `must be at least ${TAKEOVER_TICKS} × REBALANCE_MS (${TAKEOVER_TICKS * env.REBALANCE_MS})`,
    });
});

export interface ConsumerConfig extends CommonConfig {
  /** Stable per process: the name this consumer has in every stream's group. */
  readonly consumerName: string;
  /** Entries read per XREADGROUP (COUNT). */
  readonly batchSize: number;
  /** How long a read waits for new entries (BLOCK). */
  readonly blockMs: number;
  /** Entries pending longer than this are taken back and retried. */
  readonly claimIdleMs: number;
  /**
   * How many times an entry is tried before it goes to the dead-letter stream: retried in place
   * (with backoff, before anything behind it settles) when settlement rejects it, or counted in
   * deliveries when consumers crash on it. Entries no retry can help go at once.
   */
  readonly maxDeliveries: number;
  readonly pgPoolSize: number;
  /** How often shard ownership is checked and balanced across live consumers. */
  readonly rebalanceMs: number;
  /** A shard owner whose lock connection has been silent this long (server clock) is taken over. */
  readonly shardTakeoverMs: number;
  /** 0: no metrics server of its own (the launcher collects metrics over IPC instead). */
  readonly metricsPort: number;
  /**
   * How long after an auction's end its close is appended: a gateway's bid stamped before the end
   * reaches the stream within this, so it settles before the close instead of being refused late.
   */
  readonly closeGraceMs: number;
}

export function loadConfig(
  env: Env,
  host: { hostname: string; pid: number } = { hostname: hostname(), pid: process.pid },
): ConsumerConfig {
  const parsed = parseEnv(checkedSchema, env);
  return {
    ...toCommonConfig(parsed),
    consumerName: parsed.CONSUMER_NAME ?? `${host.hostname}-${host.pid}`,
    batchSize: parsed.BATCH_SIZE,
    blockMs: parsed.BLOCK_MS,
    claimIdleMs: parsed.CLAIM_IDLE_MS,
    maxDeliveries: parsed.MAX_DELIVERIES,
    pgPoolSize: parsed.PG_POOL_SIZE,
    rebalanceMs: parsed.REBALANCE_MS,
    shardTakeoverMs: parsed.SHARD_TAKEOVER_MS,
    metricsPort: parsed.CONSUMER_METRICS_PORT,
    closeGraceMs: parsed.CLOSE_GRACE_MS,
  };
}
