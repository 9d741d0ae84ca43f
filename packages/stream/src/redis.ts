import { type ChainableCommander, Cluster, Redis, type RedisOptions } from 'ioredis';
import { defineScripts } from './define-scripts.ts';

export type RedisClient = Redis | Cluster;

export interface RedisTarget {
  readonly url: string;
  /** Seed nodes of a Redis Cluster; null for a single server. */
  readonly clusterNodes: readonly { host: string; port: number }[] | null;
}

/**
 * Commands whose keys ioredis's auto-pipelining cannot find: XGROUP and XINFO name theirs after
 * a subcommand, and the bid script (queueBids) takes its key count first, because it varies with
 * the batch. Auto-pipelined on a cluster, they would join a batch for whatever node that first
 * argument hashes to and fail there with MOVED (or land beside other slots' calls); sent alone,
 * the cluster client routes them by their keys and follows a redirect.
 */
const KEYS_UNKNOWN_TO_AUTO_PIPELINING = ['xgroup', 'xinfo', 'queueBids'];

/**
 * A connection for ordinary commands; ioredis pipelines concurrent commands automatically. The
 * engine's scripts are defined on it at once (see define-scripts.ts for why not at first use).
 */
export function connectRedis(target: RedisTarget, options: RedisOptions = {}): RedisClient {
  const base: RedisOptions = { enableAutoPipelining: true, ...options };
  if (target.clusterNodes !== null) {
    // Auto-pipelining is a cluster-level option: the one in redisOptions would be ignored.
    return defineScripts(
      new Cluster([...target.clusterNodes], {
        redisOptions: base,
        enableAutoPipelining: base.enableAutoPipelining,
        autoPipeliningIgnoredCommands: KEYS_UNKNOWN_TO_AUTO_PIPELINING,
      }),
    );
  }
  return defineScripts(new Redis(target.url, base));
}

/**
 * A connection for blocking reads (XREADGROUP ... BLOCK). It must be its own: a blocked
 * connection answers nothing else. Commands wait through reconnects instead of failing
 * (maxRetriesPerRequest: null), and a socket silent for longer than BLOCK plus a margin is
 * treated as dead rather than waited on forever.
 */
export function connectBlockingRedis(target: RedisTarget, blockMs: number, name: string): RedisClient {
  return connectRedis(target, {
    maxRetriesPerRequest: null,
    socketTimeout: blockMs + 10_000,
    enableAutoPipelining: false,
    connectionName: name,
  });
}

/** Whether an ioredis error says the consumer group (or its stream) is gone, e.g. after a Redis restart. */
export function isNoGroupError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOGROUP');
}

/**
 * Runs a pipeline and throws its first command error: exec() itself resolves even when
 * commands in it failed, so a caller that must know (an XACK after a commit) checks here.
 * Returns the replies in command order.
 */
export async function execPipeline(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error !== null)?.[0];
  if (failed) throw failed;
  return results.map(([, reply]) => reply);
}
