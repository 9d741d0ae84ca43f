import { z } from 'zod';
import { intVar, urlVar } from './env.ts';

export const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:5432/dutch_auction';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The settings every process must agree on: where the data is, and how the streams are laid out. */
export const commonEnv = {
  DATABASE_URL: urlVar(['postgres:', 'postgresql:'], DEFAULT_DATABASE_URL),
  REDIS_URL: urlVar(['redis:', 'rediss:'], DEFAULT_REDIS_URL),
  /** Comma-separated host:port seed nodes; when set, Redis is a cluster and REDIS_URL is ignored. */
  REDIS_CLUSTER_NODES: z
    .string()
    .trim()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be host:port[,host:port...]')
    .optional(),
  KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]{0,64}$/, 'must be letters, digits, _ - : (at most 64)')
    .optional()
    .transform((value) => value ?? 'dutch:'),
  SHARDS: intVar(1, 1024, 8),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .transform((value) => value ?? 'info'),
};

export interface CommonConfig {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redisClusterNodes: readonly { host: string; port: number }[] | null;
  readonly keyPrefix: string;
  readonly shards: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export function toCommonConfig(env: {
  DATABASE_URL: string;
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: string | undefined;
  KEY_PREFIX: string;
  SHARDS: number;
  LOG_LEVEL: CommonConfig['logLevel'];
}): CommonConfig {
  return {
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisClusterNodes:
      env.REDIS_CLUSTER_NODES === undefined
        ? null
        : env.REDIS_CLUSTER_NODES.split(',').map((node) => {
            const at = node.lastIndexOf(':');
            return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
          }),
    keyPrefix: env.KEY_PREFIX,
    shards: env.SHARDS,
    logLevel: env.LOG_LEVEL,
  };
}
