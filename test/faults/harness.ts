import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDb, type DbClient, migrate } from '@dutch/db';
import { CONSUMER_GROUP, connectRedis, type KeyLayout, type RedisClient, streamKey } from '@dutch/stream';
import {
  type AcceptedBid,
  assertInvariants,
  type BidJob,
  type BurstOptions,
  type BurstReport,
  burst,
  type InvariantReport,
  type Market,
  waitFor,
} from '@dutch/testkit';
import {
  createSandbox,
  type EngineEnv,
  type EngineProcess,
  type GatewayProcess,
  type PrivatePostgres,
  type PrivateRedis,
  type Sandbox,
  startConsumerProcess,
  startGatewayProcess,
  startPrivatePostgres,
  startPrivateRedis,
} from '@dutch/testkit/servers';

/** The whole engine as real processes, on a Redis and a PostgreSQL of the test's own. */
export interface FaultStack {
  readonly sandbox: Sandbox;
  readonly redis: PrivateRedis;
  readonly pg: PrivatePostgres;
  readonly env: EngineEnv;
  readonly layout: KeyLayout;
  /** The test's own connections, for checking. */
  readonly db: DbClient;
  readonly redisClient: RedisClient;
  readonly gateways: GatewayProcess[];
  readonly consumers: EngineProcess[];
  close(): Promise<void>;
}

export interface FaultStackOptions {
  /** redis-server arguments (persistence). */
  readonly redisArgs?: readonly string[];
  readonly gateways?: number;
  readonly consumers?: number;
  readonly shards?: number;
  readonly gatewayEnv?: Record<string, string>;
  readonly consumerEnv?: Record<string, string>;
}

export async function startFaultStack(label: string, options: FaultStackOptions = {}): Promise<FaultStack> {
  const sandbox = createSandbox(label);
  try {
    const [redis, pg] = await Promise.all([
      startPrivateRedis(sandbox, { args: options.redisArgs ?? [] }),
      startPrivatePostgres(sandbox),
    ]);
    const databaseUrl = pg.url('dutch_auction');
    await migrate(databaseUrl);
    const env: EngineEnv = { databaseUrl, redisUrl: redis.url, keyPrefix: 'dutch:', shards: options.shards ?? 4 };
    const db = createDb(databaseUrl, { max: 4, applicationName: 'fault test' });
    const redisClient = connectRedis({ url: redis.url, clusterNodes: null });
    redisClient.on('error', () => {});
    sandbox.onCleanup(async () => {
      redisClient.disconnect();
      await db.close().catch(() => {});
    });
    const gateways = await Promise.all(
      Array.from({ length: options.gateways ?? 2 }, (_, i) =>
        startGatewayProcess(sandbox, `gateway-${i}`, env, options.gatewayEnv),
      ),
    );
    const consumers = await Promise.all(
      Array.from({ length: options.consumers ?? 2 }, (_, i) =>
        startConsumerProcess(sandbox, `consumer-${i}`, env, options.consumerEnv),
      ),
    );
    return {
      sandbox,
      redis,
      pg,
      env,
      layout: { prefix: env.keyPrefix, shards: env.shards },
      db,
      redisClient,
      gateways,
      consumers,
      close: () => sandbox.cleanup(),
    };
  } catch (error) {
    await sandbox.cleanup();
    throw error;
  }
}

/**
 * Starts a burst with retries on (its clients wait out the fault, with the same Idempotency-Key)
 * and resolves once `count` bids are answered, the rest still coming: the moment a drill strikes.
 * `load` is the burst itself; `answered` is how many had their final answer at that moment.
 */
export async function burstUntilAnswered(
  jobs: readonly BidJob[],
  options: Omit<BurstOptions, 'retry' | 'onProgress'>,
  count: number,
  what: string,
): Promise<{ load: Promise<BurstReport>; answered: number }> {
  let answered = 0;
  const load = burst(jobs, {
    ...options,
    retry: true,
    onProgress: (n) => {
      answered = n;
    },
  });
  await waitFor(async () => answered >= count, 120_000, what);
  return { load, answered };
}

/**
 * After a drill: waits until every 202 is settled and nothing is left pending, then holds the
 * outcome to every invariant exactly: one receipt per 202 (no bid lost, none queued twice), each
 * outcome the rules' own (nothing FAILED because of the fault), ledger, stock, dead letters.
 */
export async function settleAndAssert(
  stack: FaultStack,
  market: Market,
  accepted: readonly AcceptedBid[],
): Promise<InvariantReport> {
  const ids = accepted.map((bid) => bid.receiptId);
  await waitFor(async () => (await settledCount(stack.db, ids)) === ids.length, 180_000, 'every receipt settled');
  await waitFor(async () => (await pendingEntries(stack.redisClient, stack.layout)) === 0, 60_000, 'nothing pending');
  return assertInvariants({
    sql: stack.db.sql,
    accepted,
    auctionIds: market.auctions.map((a) => a.id),
    charged: market.charged,
    initialPoints: market.initialPoints,
    exact: true,
    redis: { client: stack.redisClient, layout: stack.layout },
  });
}

/** Receipts in Postgres among `ids`. */
export async function settledCount(db: DbClient, ids: readonly string[]): Promise<number> {
  const [row] = await db.sql<
    { n: number }[]
  >`select count(*)::int as n from receipts where id = any(${[...ids]}::uuid[])`;
  return row?.n ?? 0;
}

/** Entries pending (delivered, not acknowledged) across the shards. */
export async function pendingEntries(redis: RedisClient, layout: KeyLayout): Promise<number> {
  let total = 0;
  for (let shard = 0; shard < layout.shards; shard++) {
    try {
      const [count] = (await redis.xpending(streamKey(layout, shard), CONSUMER_GROUP)) as [number];
      total += Number(count);
    } catch {
      // no stream or group yet
    }
  }
  return total;
}

/** Bids in the streams not settled yet: delivered but unacknowledged, plus not yet delivered (the group's lag). */
export async function unsettledEntries(redis: RedisClient, layout: KeyLayout): Promise<number> {
  let total = 0;
  for (let shard = 0; shard < layout.shards; shard++) {
    try {
      const groups = (await redis.xinfo('GROUPS', streamKey(layout, shard))) as (string | number | null)[][];
      for (const group of groups) {
        const info = new Map<string, string | number | null>();
        for (let i = 0; i + 1 < group.length; i += 2) info.set(String(group[i]), group[i + 1] ?? null);
        if (info.get('name') !== CONSUMER_GROUP) continue;
        total += Number(info.get('pending') ?? 0) + Number(info.get('lag') ?? 0);
      }
    } catch {
      // no stream yet
    }
  }
  return total;
}

/** Entries pending at one consumer, across the shards. */
export async function pendingAt(redis: RedisClient, layout: KeyLayout, consumer: string): Promise<number> {
  let total = 0;
  for (let shard = 0; shard < layout.shards; shard++) {
    try {
      const summary = (await redis.xpending(streamKey(layout, shard), CONSUMER_GROUP)) as [
        number,
        string,
        string,
        [string, string][] | null,
      ];
      total += Number(summary[3]?.find(([name]) => name === consumer)?.[1] ?? 0);
    } catch {
      // no stream or group yet
    }
  }
  return total;
}

const RESULTS = fileURLToPath(new URL('../../test-results/faults/', import.meta.url));

/** Prints a drill's figures (for docs/reliability.md) and keeps them in test-results/faults/<name>.json. */
export function reportFigures(name: string, figures: Record<string, unknown>): void {
  const line = Object.entries(figures)
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`)
    .join(' ');
  console.log(`[faults] ${name}: ${line}`);
  try {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(
      `${RESULTS}${name}.json`,
      `${JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2)}\n`,
    );
  } catch {
    // figures on stdout are enough
  }
}
