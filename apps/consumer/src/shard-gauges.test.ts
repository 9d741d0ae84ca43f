import { connectRedis, type KeyLayout, type RedisClient, shardOf } from '@dutch/stream';
import {
  bid,
  consumerEnv,
  createAuction,
  createMember,
  createMembers,
  createTestDatabase,
  deleteKeys,
  enqueue,
  randomPrefix,
  redisUrl,
  type SeededAuction,
  startTestConsumer,
  type TestConsumer,
  type TestDatabase,
  waitFor,
} from '@dutch/testkit';
import { v4 as uuidv4 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { openConsumerConnections } from './connections.ts';
import { createConsumer } from './consumer.ts';
import type { ConsumerMetrics } from './metrics.ts';

let db: TestDatabase;
let redis: RedisClient;
let layout: KeyLayout;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
  redis = connectRedis({ url: redisUrl(), clusterNodes: null });
  layout = { prefix: randomPrefix(), shards: 2 };
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await deleteKeys(redis, layout.prefix);
  await redis.quit();
  await db.drop();
});

/** Per-shard values of a gauge, as the registry exports them. */
async function gaugeByShard(metrics: ConsumerMetrics, name: string): Promise<Record<string, number>> {
  const all = await metrics.registry.getMetricsAsJSON();
  const metric = all.find((m) => m.name === name);
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.shard), v.value]));
}

const PENDING = 'dutch_consumer_pending_entries';
const LAG = 'dutch_consumer_stream_lag_entries';

async function auctionOnShard(seller: string, shard: number): Promise<SeededAuction> {
  for (;;) {
    const id = uuidv4();
    if (shardOf(id, layout.shards) === shard) return createAuction(db.db, seller, { stock: 1_000 }, id);
  }
}

/** Holds an auction's row lock in an open transaction until release() is called. */
async function holdRow(auctionId: string): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const tx = db.sql.begin(async (t) => {
    await t`select 1 from auctions where id = ${auctionId} for update`;
    locked();
    await released;
  });
  await isLocked;
  return {
    async release() {
      release();
      await tx;
    },
  };
}

async function waitingOnLock(applicationName: string): Promise<boolean> {
  const rows = await db.sql`
    select 1 from pg_stat_activity where application_name = ${applicationName} and wait_event_type = 'Lock'`;
  return rows.length > 0;
}

describe('per-shard stream gauges', () => {
  it('show the pending entries and the lag of the shard after a burst', async () => {
    const seller = await createMember(db.sql);
    const buyers = await createMembers(db.sql, Array(50).fill(100_000));
    const [b, a] = [await auctionOnShard(seller, 1), await auctionOnShard(seller, 1)] as [SeededAuction, SeededAuction];
    // 10 bids on b, then 40 on a, all on shard 1; read 10 at a time.
    const burst = [
      ...buyers.slice(0, 10).map((buyer) => bid(b, buyer, 1)),
      ...buyers.slice(0, 40).map((buyer) => bid(a, buyer, 1)),
    ];
    await enqueue(redis, layout, burst);
    let offset = 0;
    const config = loadConfig(consumerEnv(db.url, layout, { CONSUMER_NAME: 'gauges', BATCH_SIZE: '10' }));
    const conn = openConsumerConnections(db.url, { consumerName: 'gauges', poolSize: 2 });
    cleanups.push(() => conn.close());
    const consumer = createConsumer({
      config,
      sql: conn.sql,
      lockSql: conn.lockSql,
      redis,
      clock: () => Date.now() + offset,
    });

    // First step: gauges read before anything is delivered; then 10 bids of b in hand, 10 more read ahead.
    const bHeld = await holdRow(b.id);
    const aHeld = await holdRow(a.id);
    const draining = consumer.consumeOnce();
    cleanups.push(async () => {
      await Promise.all([bHeld.release(), aHeld.release()]);
      await draining.catch(() => {});
    });
    await waitFor(() => waitingOnLock(conn.applicationName), 10_000, 'the first batch to wait on b');
    // Shard 0 (drained first) is empty.
    expect(await gaugeByShard(consumer.metrics, PENDING)).toEqual({ 0: 0, 1: 0 });
    expect(await gaugeByShard(consumer.metrics, LAG)).toEqual({ 0: 0, 1: 50 });

    // Past the gauges' refresh interval, the second step reads them with the read-ahead batch pending.
    offset += 6_000;
    await bHeld.release();
    await waitFor(async () => (await db.sql`select 1 from receipts where auction_id = ${b.id}`).length === 10);
    await waitFor(() => waitingOnLock(conn.applicationName), 10_000, 'the second batch to wait on a');
    expect(await gaugeByShard(consumer.metrics, PENDING)).toEqual({ 0: 0, 1: 10 });
    expect(await gaugeByShard(consumer.metrics, LAG)).toEqual({ 0: 0, 1: 30 });

    await aHeld.release();
    expect(await draining).toBe(50);
  });

  it('drop the series of a shard handed over to another consumer, and all of them on stop', async () => {
    const seller = await createMember(db.sql);
    const buyers = await createMembers(db.sql, Array(20).fill(100_000));
    const auctions = [await auctionOnShard(seller, 0), await auctionOnShard(seller, 1)];
    await enqueue(
      redis,
      layout,
      auctions.flatMap((auction) => buyers.map((buyer) => bid(auction, buyer, 1))),
    );
    const first = startTestConsumer(db.url, layout, 'first');
    cleanups.push(() => first.close());
    await first.consumer.start();
    const shardsWithSeries = async (c: TestConsumer, name: string) =>
      Object.keys(await gaugeByShard(c.consumer.metrics, name)).sort();
    await waitFor(async () => (await shardsWithSeries(first, LAG)).length === 2, 10_000, 'gauges for both shards');
    expect(await shardsWithSeries(first, PENDING)).toEqual(['0', '1']);

    const second = startTestConsumer(db.url, layout, 'second');
    cleanups.push(() => second.close());
    await second.consumer.start();
    await waitFor(
      async () => first.consumer.ownedShards().length === 1 && second.consumer.ownedShards().length === 1,
      10_000,
      'one shard each',
    );
    await waitFor(async () => (await shardsWithSeries(second, LAG)).length === 1, 10_000, 'the new owner reports');
    const kept = first.consumer.ownedShards().map(String);
    expect(await shardsWithSeries(first, LAG)).toEqual(kept);
    expect(await shardsWithSeries(first, PENDING)).toEqual(kept);

    await first.consumer.stop();
    expect(await shardsWithSeries(first, LAG)).toEqual([]);
    expect(await shardsWithSeries(first, PENDING)).toEqual([]);
  });
});
