import { checkRedisDurability, type RedisDurability } from '@dutch/gateway';
import type { RedisTarget } from '@dutch/stream';
import { Redis } from 'ioredis';
import postgres from 'postgres';

export interface DependencyOptions {
  /** The least Redis persistence to accept (REDIS_DURABILITY); none skips the check. */
  readonly redisDurability?: RedisDurability;
  /** Where a warning goes (durability that could not be verified); default console.warn. */
  readonly warn?: (line: string) => void;
}

/**
 * What a newcomer needs to read when a dependency is missing: one line, what to start, no stack trace.
 * With REDIS_CLUSTER_NODES set, the cluster's seed nodes are checked and REDIS_URL is not.
 */
export async function checkDependencies(
  databaseUrl: string,
  redis: RedisTarget,
  options: DependencyOptions = {},
): Promise<string[]> {
  const [pg, red] = await Promise.all([
    checkPostgres(databaseUrl),
    redis.clusterNodes === null ? checkRedis(redis.url, options) : checkCluster(redis.clusterNodes),
  ]);
  return [pg, red].filter((problem): problem is string => problem !== null);
}

function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('redis') ? '6379' : '5432')}`;
}

async function checkPostgres(url: string): Promise<string | null> {
  // The database itself may not exist yet (migrate creates it): ask the server's own database.
  const server = new URL(url);
  server.pathname = '/postgres';
  const sql = postgres(server.toString(), { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
    return null;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const reason = (error as Error).message;
    if (code === '28P01' || code === '28000') {
      return `PostgreSQL at ${where(url)} refused the login (${reason}). Set DATABASE_URL with the right user and password.`;
    }
    return `Cannot reach PostgreSQL at ${where(url)} (${code || reason}). Start it (e.g. \`docker compose up -d postgres\`) or point DATABASE_URL at one.`;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

async function checkRedis(url: string, options: DependencyOptions = {}): Promise<string | null> {
  const required = options.redisDurability ?? 'none';
  // Reachable first; then, on the same connection, persistent enough for the 202s it will hold.
  const answer = await ask(url, async (redis) => {
    await redis.ping();
    return checkRedisDurability(redis, required, where(url));
  });
  if (answer.ok) {
    if (answer.value.warning !== null) (options.warn ?? console.warn)(answer.value.warning);
    return answer.value.problem;
  }
  return `Cannot reach Redis at ${where(url)} (${answer.code}). Start it (e.g. \`docker compose up -d redis\` or \`redis-server\`) or point REDIS_URL at one.`;
}

/** One seed node that answers is enough for the cluster client, if it is a cluster node and the cluster is up. */
async function checkCluster(nodes: readonly { host: string; port: number }[]): Promise<string | null> {
  const failures: string[] = [];
  for (const { host, port } of nodes) {
    const answer = await ask({ host, port }, (redis) => redis.cluster('INFO') as Promise<string>);
    if (!answer.ok) {
      if (/cluster support disabled/i.test(answer.code)) {
        return `Redis at ${host}:${port} is not a cluster node (cluster support disabled). Unset REDIS_CLUSTER_NODES to use it as a single server (REDIS_URL), or list the nodes of a Redis Cluster.`;
      }
      failures.push(`${host}:${port} ${answer.code}`);
      continue;
    }
    const state = /cluster_state:(\w+)/.exec(answer.value)?.[1] ?? 'unknown';
    if (state === 'ok') return null;
    return `The Redis Cluster at ${host}:${port} is not serving (cluster_state:${state}). Wait for it to finish forming, or fix it (\`redis-cli --cluster check ${host}:${port}\`).`;
  }
  return `Cannot reach any Redis Cluster node in REDIS_CLUSTER_NODES (${failures.join('; ')}). Start the cluster or correct REDIS_CLUSTER_NODES.`;
}

type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string };

/** Connects once (no retries), asks, disconnects; a failure is named by its socket error code when there is one. */
async function ask<T>(
  target: string | { host: string; port: number },
  question: (redis: Redis) => Promise<T>,
): Promise<Answer<T>> {
  const options = { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000 };
  const redis = typeof target === 'string' ? new Redis(target, options) : new Redis({ ...target, ...options });
  // The socket's own error (ECONNREFUSED, ENOTFOUND...) says more than "Connection is closed".
  let cause: Error | null = null;
  redis.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    await redis.connect();
    return { ok: true, value: await question(redis) };
  } catch (error) {
    const first = (cause ?? error) as Error & { code?: string };
    return { ok: false, code: first.code ?? first.message };
  } finally {
    redis.disconnect();
  }
}
