import { CONSUMER_GROUP, connectRedis, type KeyLayout, type RedisClient, streamKey } from '@dutch/stream';
import {
  bid,
  consumerEnv,
  createAuction,
  createMember,
  createTestDatabase,
  deleteKeys,
  enqueue,
  randomPrefix,
  redisUrl,
  sleep,
  type TestDatabase,
} from '@dutch/testkit';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { type ConsumerConnections, openConsumerConnections } from './connections.ts';
import { DueCloses } from './due-closes.ts';
import { FencedOutError } from './fenced-out-error.ts';
import { createConsumerMetrics } from './metrics.ts';
import { lockClassId, ShardLocks } from './shard-locks.ts';
import { ShardWorker } from './shard-worker.ts';

/**
 * A consumer that froze and woke after its lease ran out may already have lost its shard to
 * another consumer, which has read and settled newer entries. If the woken one read new
 * entries into its own name, they would be settled by nobody until the new owner noticed,
 * and possibly after later ones: it must take nothing.
 */
const LEASE_MS = 300;

let db: TestDatabase;
let redis: RedisClient;
let conn: ConsumerConnections;
let layout: KeyLayout;

beforeEach(async () => {
  db = await createTestDatabase();
  redis = connectRedis({ url: redisUrl(), clusterNodes: null });
  layout = { prefix: randomPrefix(), shards: 1 };
  conn = openConsumerConnections(db.url, { consumerName: 'woken', poolSize: 2 });
});

afterEach(async () => {
  await conn.close();
  await deleteKeys(redis, layout.prefix);
  await redis.quit();
  await db.drop();
});

describe('a shard worker whose lease ran out', () => {
  it('reads no entry into its name and settles nothing', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql, 1_000);
    const auction = await createAuction(db.db, seller, { stock: 10 });
    const key = streamKey(layout, 0);
    await redis.xgroup('CREATE', key, CONSUMER_GROUP, '0', 'MKSTREAM');
    await enqueue(redis, layout, [bid(auction, buyer, 1)]);

    const config = loadConfig(consumerEnv(db.url, layout, { CONSUMER_NAME: 'woken' }));
    const locks = new ShardLocks(conn.lockSql, lockClassId(layout.prefix), LEASE_MS);
    expect(await locks.tryAcquire(0)).toBe(true);
    await sleep(LEASE_MS * 1.5);
    const worker = new ShardWorker(
      {
        config,
        layout,
        redisTarget: { url: redisUrl(), clusterNodes: null },
        sql: conn.sql,
        redis,
        locks,
        clock: Date.now,
        logger: pino({ level: 'silent' }),
        metrics: createConsumerMetrics({ consumer: 'woken' }),
        dueCloses: new DueCloses(conn.sql, config.closeGraceMs),
      },
      0,
    );
    await expect(worker.drain()).rejects.toBeInstanceOf(FencedOutError);

    const [pendingCount] = (await redis.xpending(key, CONSUMER_GROUP)) as [number, ...unknown[]];
    expect(pendingCount).toBe(0);
    expect(await db.sql`select id from receipts`).toHaveLength(0);
  });
});
