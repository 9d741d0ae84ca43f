import type { RedisClient } from '@dutch/stream';
import { Cluster, type Redis } from 'ioredis';

/**
 * What a 202 survives. The gateway answers 202 once the bid is in Redis, before any database
 * write, so Redis persistence decides what an accepted bid survives:
 * - `always`   (appendonly yes, appendfsync always): Redis writes and fsyncs the AOF before it
 *   answers, so a bid answered 202 survives a Redis crash or kill -9 (and a power loss).
 * - `everysec` (appendonly yes, appendfsync everysec; the compose default): the AOF is fsynced
 *   once a second, so a Redis crash can lose up to about the last second of accepted bids:
 *   their 202s were sent, but the entries never reached the disk.
 * - `none`     (no AOF, or appendfsync no): a Redis restart loses every bid not yet settled.
 * REDIS_DURABILITY names the least the gateway accepts; it refuses to start on a weaker Redis.
 */
export const REDIS_DURABILITY_LEVELS = ['none', 'everysec', 'always'] as const;
export type RedisDurability = (typeof REDIS_DURABILITY_LEVELS)[number];

const RANK: Record<RedisDurability, number> = { none: 0, everysec: 1, always: 2 };

/** The durability a Redis server's settings give. */
export function durabilityOf(appendonly: string, appendfsync: string): RedisDurability {
  if (appendonly.toLowerCase() !== 'yes') return 'none';
  const fsync = appendfsync.toLowerCase();
  return fsync === 'always' ? 'always' : fsync === 'everysec' ? 'everysec' : 'none';
}

export interface DurabilityVerdict {
  /** One line saying why the gateway must not start; null when Redis is durable enough. */
  readonly problem: string | null;
  /** One line when the settings could not be read (CONFIG not permitted): the operator must make sure. */
  readonly warning: string | null;
}

const SETTINGS: Record<RedisDurability, string> = {
  none: 'any persistence',
  everysec: 'appendonly yes with appendfsync everysec or always',
  always: 'appendonly yes and appendfsync always',
};

async function settingsOf(node: Redis): Promise<{ appendonly: string; appendfsync: string }> {
  const read = async (name: string) => {
    const reply = (await node.config('GET', name)) as unknown as string[];
    return String(reply[1] ?? '');
  };
  return { appendonly: await read('appendonly'), appendfsync: await read('appendfsync') };
}

/** CONFIG refused (ACL, renamed command, managed Redis): not a connection problem. */
function isRefusal(error: unknown): boolean {
  return error instanceof Error && /^(NOPERM|ERR|WRONGPASS|NOAUTH)|unknown command/i.test(error.message);
}

/**
 * Checks that Redis (every master, for a cluster) persists at least `required`. Connection
 * errors are thrown (the caller retries while Redis is starting); a refused CONFIG GET is a warning.
 */
export async function checkRedisDurability(
  redis: RedisClient,
  required: RedisDurability,
  where: string,
): Promise<DurabilityVerdict> {
  if (required === 'none') return { problem: null, warning: null };
  const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis as Redis];
  for (const node of nodes) {
    let settings: { appendonly: string; appendfsync: string };
    try {
      settings = await settingsOf(node);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return {
        problem: null,
        warning:
          `Cannot verify REDIS_DURABILITY=${required}: Redis at ${where} refused CONFIG GET (${(error as Error).message}). ` +
          `Make sure it runs with ${SETTINGS[required]}, or accepted bids may be lost in a Redis crash.`,
      };
    }
    const actual = durabilityOf(settings.appendonly, settings.appendfsync);
    if (RANK[actual] < RANK[required]) {
      const name = redis instanceof Cluster ? ` (node ${node.options.host}:${node.options.port})` : '';
      return {
        problem:
          `Redis at ${where}${name} runs with appendonly ${settings.appendonly}, appendfsync ${settings.appendfsync}, ` +
          `weaker than REDIS_DURABILITY=${required} requires (${SETTINGS[required]}); ` +
          `start Redis with those settings or lower REDIS_DURABILITY (see docs/reliability.md).`,
        warning: null,
      };
    }
  }
  return { problem: null, warning: null };
}

/** host:port of a Redis URL, for messages. */
export function redisWhere(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}
