/**
 * Everything a run shares: its own database and key prefix, the funded buyers, the engine
 * (started once, on first use) and the memory sampler.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, type DbClient, dropDatabase, migrate } from '@dutch/db';
import { connectRedis, type KeyLayout, type RedisClient, shardOf } from '@dutch/stream';
import { freePort } from '@dutch/testkit/servers';
import type { AllocationMeter } from './gc-trace.ts';
import type { Options } from './options.ts';
import { RssSampler, type ServerHandle, type Stack, startServer, startStack } from './processes.ts';
import { type Buyer, benchDatabaseName, createAuctions, createBuyers, databaseUrlFor } from './seed.ts';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = join(BENCH_DIR, '..');
export const RESULTS_DIR = join(BENCH_DIR, 'results');
export const PROFILE_DIR = join(RESULTS_DIR, 'profiles');

export interface Bench {
  readonly options: Options;
  readonly dbName: string;
  readonly dbUrl: string;
  /** The bench's own pool, for seeding and verification. */
  readonly client: DbClient;
  readonly redis: RedisClient;
  readonly layout: KeyLayout;
  readonly buyers: readonly Buyer[];
  readonly buyerIds: readonly string[];
  /** A scheduled auction: bids on it are refused at once, which warms caches and JIT. */
  readonly warmupAuctionId: string;
  readonly rss: RssSampler;
  readonly shardOf: (auctionId: string) => number;
  stack: Stack | null;
  readonly servers: Set<ServerHandle>;
  /** Requests answered per target process role (gateway, bare, sync), for CPU per request. */
  readonly served: Map<string, number>;
  readonly roles: Map<string, string>;
  log(message: string): void;
}

const started = Date.now();
export function log(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[${seconds}s] ${message}`);
}

/** Most buyers can afford their limit twice over; a fifth can afford little or nothing, so INSUFFICIENT_POINTS happens. */
export function burstFunding(count: number, random = Math.random): number[] {
  return Array.from({ length: count }, () => (random() < 0.8 ? 1_000 : 50 + Math.floor(random() * 350)));
}

export async function setUp(options: Options): Promise<Bench> {
  const dbName = benchDatabaseName();
  const dbUrl = databaseUrlFor(options.adminUrl, dbName);
  log(`database ${dbName}: creating and migrating`);
  await migrate(dbUrl);
  const client = createDb(dbUrl, { max: 4, applicationName: 'bench' });
  const redis = connectRedis({ url: options.redisUrl, clusterNodes: null });
  const layout: KeyLayout = { prefix: `bench${randomBytes(4).toString('hex')}:`, shards: options.shards };

  const t0 = Date.now();
  const buyers = await createBuyers(client.sql, burstFunding(options.buyers));
  const [warmSeller] = await createBuyers(client.sql, [0], 'seller');
  const [warmup] = await createAuctions(
    client,
    [(warmSeller as Buyer).id],
    1,
    { stock: 1_000, perBuyerLimit: 5, startsAt: Date.now() + 3_600_000, durationSeconds: 600 },
    'warm-up (scheduled)',
  );
  log(`seeded ${buyers.length.toLocaleString('en-US')} funded buyers with real tokens in ${Date.now() - t0} ms`);

  const bench: Bench = {
    options,
    dbName,
    dbUrl,
    client,
    redis,
    layout,
    buyers,
    buyerIds: buyers.map((b) => b.id),
    warmupAuctionId: (warmup as { id: string }).id,
    rss: new RssSampler(() => [
      ...(bench.stack?.launcher.pid === undefined ? [] : [bench.stack.launcher.pid]),
      ...[...bench.servers].flatMap((s) => (s.child.pid === undefined ? [] : [s.child.pid])),
    ]),
    shardOf: (auctionId) => shardOf(auctionId, options.shards),
    stack: null,
    servers: new Set(),
    served: new Map(),
    roles: new Map(),
    log,
  };
  bench.rss.start();
  return bench;
}

export function engineEnv(bench: Bench, port: number, traceGc = false): Record<string, string> {
  const { options } = bench;
  const env: Record<string, string> = {
    DATABASE_URL: bench.dbUrl,
    REDIS_URL: options.redisUrl,
    KEY_PREFIX: bench.layout.prefix,
    SHARDS: String(options.shards),
    PORT: String(port),
    HOST: '127.0.0.1',
    GATEWAY_WORKERS: String(options.workers),
    CONSUMERS: String(options.consumers),
    LOG_LEVEL: 'warn',
    LOG_REQUESTS: 'false',
    BID_RATE_PER_SECOND: '0',
    // Every stream the bench opens comes from one address; the limit is for one real client's.
    SSE_MAX_CONNECTIONS_PER_CLIENT: '10000',
  };
  if (options.batchSize !== null) env.BATCH_SIZE = String(options.batchSize);
  return { ...env, ...hookEnv(options, traceGc) };
}

const CPU_PROFILE_HOOK = join(BENCH_DIR, 'src/profiling/cpu-profile.mjs');
const TRACE_GC_HOOK = join(BENCH_DIR, 'src/profiling/trace-gc.mjs');

/**
 * The bench's hooks, loaded into every process of the engine or of a reference: with --profile,
 * each writes a V8 CPU profile on exit; with traceGc (the gateway scenario only), the server
 * workers print their GCs and heap size for the allocation figures (see gc-trace.ts).
 */
function hookEnv(options: Options, traceGc = false): Record<string, string> {
  const hooks = [...(options.profile ? [CPU_PROFILE_HOOK] : []), ...(traceGc ? [TRACE_GC_HOOK] : [])];
  if (hooks.length === 0) return {};
  if (options.profile) mkdirSync(PROFILE_DIR, { recursive: true });
  return {
    NODE_OPTIONS: [process.env.NODE_OPTIONS ?? '', ...hooks.map((hook) => `--import=${hook}`)].join(' ').trim(),
    ...(options.profile ? { BENCH_PROFILE_DIR: PROFILE_DIR } : {}),
  };
}

/**
 * The real engine, as `npm start` runs it, started on first use. With a meter, its server workers
 * trace their GCs into it (an engine started without one is stopped first, and the caller stops
 * this one when done, so no other scenario runs on a traced engine).
 */
export async function engine(bench: Bench, meter?: AllocationMeter): Promise<Stack> {
  if (bench.stack !== null && meter === undefined) return bench.stack;
  if (bench.stack !== null) await stopEngine(bench);
  const port = await freePort();
  log(
    `starting the engine (apps/launcher/src/start.ts): ${bench.options.workers} gateway workers, ${bench.options.consumers} consumers, ${bench.options.shards} shards, port ${port}${meter === undefined ? '' : ', GCs traced'}`,
  );
  bench.stack = await startStack({
    repoRoot: REPO_ROOT,
    env: engineEnv(bench, port, meter !== undefined),
    ...(meter === undefined ? {} : { onStdoutLine: (line: string) => meter.take(line) }),
  });
  bench.roles.set(bench.stack.url, 'gateway');
  await waitForShardOwners(bench);
  log(
    `engine up at ${bench.stack.url}; gateways ${bench.stack.gatewayPids().join(', ')}, consumers ${bench.stack.consumerPids().join(', ')}`,
  );
  return bench.stack;
}

/**
 * Consumers balance shards between themselves in their first seconds. Wait until every
 * shard is owned and no consumer holds more than its share, so a measurement never
 * includes a shard handover.
 */
export async function waitForShardOwners(bench: Bench, timeoutMs = 30_000): Promise<void> {
  const { shards, consumers } = bench.options;
  const share = Math.ceil(shards / Math.max(1, consumers));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await bench.client.sql<{ pid: number; shards: number }[]>`
      select pid, count(*)::int as shards from pg_locks
      where locktype = 'advisory' and objsubid = 2 and granted
        and database = (select oid from pg_database where datname = current_database())
      group by pid`;
    const total = rows.reduce((n, r) => n + r.shards, 0);
    if (total === shards && rows.every((r) => r.shards <= share) && rows.length === Math.min(consumers, shards)) return;
    if (Date.now() > deadline) {
      log(`warning: shards not balanced after ${timeoutMs} ms (${JSON.stringify(rows)})`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Stops the engine, so the next scenario that needs one starts it afresh. */
export async function stopEngine(bench: Bench): Promise<void> {
  const stack = bench.stack;
  if (stack === null) return;
  bench.stack = null;
  bench.roles.delete(stack.url);
  log('stopping the engine');
  await stack.stop().catch((error: unknown) => log(`engine did not stop cleanly: ${String(error)}`));
}

/** A reference server; with a meter, its workers trace their GCs into it (see gc-trace.ts). */
export async function referenceServer(
  bench: Bench,
  script: 'bare-server.ts' | 'sync-server.ts',
  env: Record<string, string> = {},
  meter?: AllocationMeter,
): Promise<ServerHandle> {
  const port = await freePort();
  const server = await startServer(
    join(BENCH_DIR, 'src/servers', script),
    {
      PORT: String(port),
      WORKERS: String(bench.options.workers),
      DATABASE_URL: bench.dbUrl,
      ...hookEnv(bench.options, meter !== undefined),
      ...env,
    },
    30_000,
    meter === undefined ? undefined : (line) => meter.take(line),
  );
  bench.servers.add(server);
  bench.roles.set(server.url, script === 'bare-server.ts' ? 'bare' : 'sync');
  return server;
}

export async function stopServer(bench: Bench, server: ServerHandle): Promise<void> {
  await server.stop();
  bench.servers.delete(server);
}

async function deleteKeys(redis: RedisClient, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 10_000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

export async function tearDown(bench: Bench): Promise<void> {
  bench.rss.stop();
  for (const server of [...bench.servers]) await stopServer(bench, server).catch(() => {});
  await stopEngine(bench);
  await bench.client.close();
  if (bench.options.keep) {
    log(`kept database ${bench.dbName} and Redis keys ${bench.layout.prefix}*`);
  } else {
    const deleted = await deleteKeys(bench.redis, bench.layout.prefix);
    await dropDatabase(bench.options.adminUrl, bench.dbName);
    log(`dropped database ${bench.dbName} and ${deleted.toLocaleString('en-US')} Redis keys`);
  }
  await bench.redis.quit();
}
