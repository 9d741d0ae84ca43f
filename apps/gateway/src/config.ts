import { boolVar, type CommonConfig, commonEnv, type Env, intVar, parseEnv, toCommonConfig } from '@dutch/config';
import { z } from 'zod';
import { REDIS_DURABILITY_LEVELS, type RedisDurability } from './redis-durability.ts';

const schema = z.object({
  ...commonEnv,
  PORT: intVar(0, 65_535, 3000),
  HOST: z
    .string()
    .trim()
    .min(1)
    .optional()
    .transform((value) => value ?? '0.0.0.0'),
  REQUEST_TIMEOUT_MS: intVar(100, 600_000, 10_000),
  /** 0 (the default): a little below REQUEST_TIMEOUT_MS. */
  PG_STATEMENT_TIMEOUT_MS: intVar(0, 3_600_000, 0),
  BID_RATE_PER_SECOND: intVar(0, 1_000_000, 20),
  BID_RATE_BURST: intVar(1, 1_000_000, 40),
  SIGNUP_RATE_PER_MINUTE: intVar(0, 1_000_000, 10),
  SIGNUP_RATE_BURST: intVar(1, 1_000_000, 20),
  SSE_HEARTBEAT_MS: intVar(100, 600_000, 15_000),
  SSE_MAX_CONNECTIONS_PER_CLIENT: intVar(1, 1_000_000, 32),
  IDEMPOTENCY_TTL_SECONDS: intVar(60, 30 * 86_400, 86_400),
  PG_POOL_SIZE: intVar(1, 100, 10),
  LOG_REQUESTS: boolVar(true),
  BID_FAST_PATH: boolVar(true),
  REDIS_DURABILITY: z
    .enum(REDIS_DURABILITY_LEVELS, { message: 'must be always, everysec or none' })
    .optional()
    .transform((value) => value ?? 'none'),
});

export interface GatewayConfig extends CommonConfig {
  readonly port: number;
  readonly host: string;
  readonly requestTimeoutMs: number;
  /**
   * Postgres cancels a gateway statement that runs longer than this (lock waits included), so a
   * request stuck behind a lock gives its connection back. Defaults to a little below
   * requestTimeoutMs. Correctness does not rest on it: a write that has not begun to commit when
   * the request times out rolls back (http/deadline.ts).
   */
  readonly pgStatementTimeoutMs: number;
  /** Bids per second each buyer may place (token bucket, per gateway process); 0 turns the limit off. */
  readonly bidRatePerSecond: number;
  readonly bidRateBurst: number;
  /**
   * Sign-ups (POST /members) per minute from one client address (token bucket, per gateway
   * process); 0 turns the limit off. The address is the socket's peer: X-Forwarded-For is not
   * trusted, so behind a proxy the limit counts the proxy as one client.
   */
  readonly signupRatePerMinute: number;
  readonly signupRateBurst: number;
  readonly sseHeartbeatMs: number;
  /** Live SSE streams one client address may hold open on a gateway process at once (429 past it). */
  readonly sseMaxConnectionsPerClient: number;
  readonly idempotencyTtlSeconds: number;
  readonly pgPoolSize: number;
  readonly logRequests: boolean;
  /**
   * Take common bids ahead of the middleware chain (routes/bid-fast-path.ts): same answers, a
   * fraction of the CPU. Off, every bid goes through the chain; kept as a switch so the two can
   * be compared, in tests and in production.
   */
  readonly bidFastPath: boolean;
  /**
   * The least Redis persistence the gateway starts on (it answers 202 once a bid is in Redis):
   * `always` (appendfsync always: a 202 survives a Redis crash), `everysec` (up to about a second
   * of 202s can be lost in a crash), `none` (no check; the default, so a dev Redis without AOF works).
   */
  readonly redisDurability: RedisDurability;
}

export function loadConfig(env: Env): GatewayConfig {
  const parsed = parseEnv(schema, env);
  return {
    ...toCommonConfig(parsed),
    port: parsed.PORT,
    host: parsed.HOST,
    requestTimeoutMs: parsed.REQUEST_TIMEOUT_MS,
    pgStatementTimeoutMs:
      parsed.PG_STATEMENT_TIMEOUT_MS > 0
        ? parsed.PG_STATEMENT_TIMEOUT_MS
        : parsed.REQUEST_TIMEOUT_MS - Math.min(1_000, Math.floor(parsed.REQUEST_TIMEOUT_MS / 5)),
    bidRatePerSecond: parsed.BID_RATE_PER_SECOND,
    bidRateBurst: parsed.BID_RATE_BURST,
    signupRatePerMinute: parsed.SIGNUP_RATE_PER_MINUTE,
    signupRateBurst: parsed.SIGNUP_RATE_BURST,
    sseHeartbeatMs: parsed.SSE_HEARTBEAT_MS,
    sseMaxConnectionsPerClient: parsed.SSE_MAX_CONNECTIONS_PER_CLIENT,
    idempotencyTtlSeconds: parsed.IDEMPOTENCY_TTL_SECONDS,
    pgPoolSize: parsed.PG_POOL_SIZE,
    logRequests: parsed.LOG_REQUESTS,
    bidFastPath: parsed.BID_FAST_PATH,
    redisDurability: parsed.REDIS_DURABILITY,
  };
}
