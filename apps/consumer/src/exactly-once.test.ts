import { auditLedger } from '@dutch/db';
import {
  CONSUMER_GROUP,
  connectRedis,
  deadLetterKey,
  encodePendingReceipt,
  type KeyLayout,
  pendingReceiptsKey,
  type RedisClient,
  receiptIdOf,
  shardOf,
  streamKey,
} from '@dutch/stream';
import {
  bid,
  createAuction,
  createMember,
  createMembers,
  createTestDatabase,
  deleteKeys,
  enqueue,
  pointsOf,
  randomPrefix,
  receiptsOf,
  redisUrl,
  sleep,
  startTestConsumer,
  stockOf,
  type TestConsumer,
  type TestDatabase,
  waitFor,
} from '@dutch/testkit';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settleAuction } from './settle-auction.ts';
import { lockClassId } from './shard-locks.ts';
import { readNew } from './stream-io.ts';

let db: TestDatabase;
let redis: RedisClient;
let layout: KeyLayout;
const consumers: TestConsumer[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
  redis = connectRedis({ url: redisUrl(), clusterNodes: null });
  layout = { prefix: randomPrefix(), shards: 4 };
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.close()));
  await deleteKeys(redis, layout.prefix);
  await redis.quit();
  await db.drop();
});

function consumer(name: string, extra: Record<string, string> = {}): TestConsumer {
  const c = startTestConsumer(db.url, layout, name, extra);
  consumers.push(c);
  return c;
}

async function settledCount(auctionId: string): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from receipts where auction_id = ${auctionId}`;
  return row?.n ?? 0;
}

/** A seeded pseudo-random sequence, so a failing run can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('exactly once, in stream order', () => {
  it('2,000 bids from 500 buyers on one auction (stock 300) settled by 3 concurrent consumers', async () => {
    const rand = random(42);
    const seller = await createMember(db.sql);
    const buyers = await createMembers(
      db.sql,
      Array.from({ length: 500 }, () => Math.floor(rand() * 1_000)),
    );
    const auction = await createAuction(db.db, seller, { stock: 300, perBuyerLimit: 4, startPrice: 100 });
    const messages = Array.from({ length: 2_000 }, () =>
      bid(auction, buyers[Math.floor(rand() * buyers.length)] as string, 1 + Math.floor(rand() * 3)),
    );

    for (const name of ['c1', 'c2', 'c3']) await consumer(name, { BATCH_SIZE: '64' }).consumer.start();
    for (let i = 0; i < messages.length; i += 100) {
      await enqueue(redis, layout, messages.slice(i, i + 100));
      await sleep(5);
    }
    await waitFor(async () => (await settledCount(auction.id)) === messages.length, 30_000, 'every bid settled');

    const receipts = await receiptsOf(db.sql, auction.id);
    expect(receipts.map((r) => r.id)).toEqual(messages.map((m) => m.receiptId));
    const sold = receipts.filter((r) => r.status === 'PURCHASED').reduce((n, r) => n + r.quantity, 0);
    expect(sold).toBe(300);
    expect(await stockOf(db.sql, auction.id)).toBe(0);
    expect(new Set(receipts.map((r) => r.failureReason))).toEqual(
      new Set([null, 'SOLD_OUT', 'INSUFFICIENT_POINTS', 'BUYER_LIMIT_EXCEEDED']),
    );
    expect(await auditLedger(db.sql)).toEqual([]);
    const pending = await redis.xpending(streamKey(layout, shardOf(auction.id, layout.shards)), CONSUMER_GROUP);
    expect(pending[0]).toBe(0);
  });

  it('spreads shards over live consumers and hands them over when one leaves, keeping order', async () => {
    const seller = await createMember(db.sql);
    const buyers = await createMembers(db.sql, Array(50).fill(100_000));
    const auctions = await Promise.all(
      Array.from({ length: 8 }, () => createAuction(db.db, seller, { stock: 1_000, perBuyerLimit: 100 })),
    );
    const a = consumer('a');
    const b = consumer('b');
    await a.consumer.start();
    await b.consumer.start();
    await waitFor(
      async () => a.consumer.ownedShards().length === 2 && b.consumer.ownedShards().length === 2,
      10_000,
      'balanced shards',
    );

    const first = auctions.flatMap((auction) => buyers.slice(0, 25).map((buyer) => bid(auction, buyer, 1)));
    await enqueue(redis, layout, first);
    await a.close();
    consumers.splice(consumers.indexOf(a), 1);
    const second = auctions.flatMap((auction) => buyers.slice(25).map((buyer) => bid(auction, buyer, 1)));
    await enqueue(redis, layout, second);

    await waitFor(async () => b.consumer.ownedShards().length === 4, 10_000, 'b took every shard');
    for (const auction of auctions)
      await waitFor(async () => (await settledCount(auction.id)) === 50, 10_000, 'settled');
    for (const auction of auctions) {
      const expected = [...first, ...second].filter((m) => m.auctionId === auction.id).map((m) => m.receiptId);
      expect((await receiptsOf(db.sql, auction.id)).map((r) => r.id)).toEqual(expected);
    }
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('a message processed twice changes nothing the second time', async () => {
    const seller = await createMember(db.sql);
    const buyers = await createMembers(db.sql, [1_000, 1_000]);
    const auction = await createAuction(db.db, seller, { stock: 5 });
    const messages = buyers.map((b) => bid(auction, b, 2));
    await enqueue(redis, layout, messages);
    const c = consumer('c1');
    await c.consumer.consumeOnce();
    const snapshot = async () => ({
      receipts: await receiptsOf(db.sql, auction.id),
      points: [...(await pointsOf(db.sql, [seller, ...buyers])).entries()].sort(),
      stock: await stockOf(db.sql, auction.id),
    });
    const before = await snapshot();

    // The very same entries again (same receipt ids), as a redelivery would bring them.
    await enqueue(redis, layout, messages);
    await c.consumer.consumeOnce();

    expect(await snapshot()).toEqual(before);
    expect((await c.consumer.metrics.duplicates.get()).values[0]?.value).toBe(2);
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('a consumer that committed but died before XACK: the next owner applies nothing twice', async () => {
    const seller = await createMember(db.sql);
    const buyers = await createMembers(db.sql, [1_000, 1_000, 1_000]);
    const auction = await createAuction(db.db, seller, { stock: 5 });
    const messages = buyers.map((b) => bid(auction, b, 2));
    await enqueue(redis, layout, messages);
    const key = streamKey(layout, shardOf(auction.id, layout.shards));
    await redis.xgroup('CREATE', key, CONSUMER_GROUP, '0', 'MKSTREAM');

    // A "ghost" consumer reads the entries and commits their settlement, then vanishes without acknowledging.
    const entries = await readNew(redis, key, 'ghost', 100, 0);
    await settleAuction(
      db.sql,
      auction.id,
      entries.map((e) => ({
        streamId: e.id,
        message: messages.find((m) => receiptIdOf(e.fields ?? []) === m.receiptId) as (typeof messages)[number],
      })),
      null,
      Date.now(),
      null,
    );
    const committed = await receiptsOf(db.sql, auction.id);
    expect(committed.map((r) => r.failureReason ?? r.status)).toEqual(['PURCHASED', 'PURCHASED', 'SOLD_OUT']);

    const c = consumer('heir');
    await c.consumer.consumeOnce();

    expect(await receiptsOf(db.sql, auction.id)).toEqual(committed);
    expect(await stockOf(db.sql, auction.id)).toBe(1);
    expect((await pointsOf(db.sql, [seller])).get(seller)).toBe(400);
    expect((await redis.xpending(key, CONSUMER_GROUP))[0]).toBe(0);
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('a consumer that lost its shard cannot commit (fencing)', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql, 1_000);
    const auction = await createAuction(db.db, seller);
    const shard = shardOf(auction.id, layout.shards);
    const fence = { classId: lockClassId(layout.prefix), shard, pid: 1 };
    const message = bid(auction, buyer, 1);
    await expect(
      settleAuction(db.sql, auction.id, [{ streamId: '1-0', message }], fence, Date.now(), null),
    ).rejects.toThrow(/no longer ours/);
    expect(await receiptsOf(db.sql, auction.id)).toEqual([]);
  });

  it('an undecodable entry is dead-lettered in place, in stream order, and does not stall its shard', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql, 1_000);
    const auction = await createAuction(db.db, seller);
    const shard = shardOf(auction.id, layout.shards);
    const key = streamKey(layout, shard);
    const poisonReceipt = uuidv7();
    // An entry whose fields cannot be decoded, but which names a receipt the gateway issued.
    await redis.hset(
      pendingReceiptsKey(layout, shard),
      poisonReceipt,
      encodePendingReceipt({
        id: poisonReceipt,
        auctionId: auction.id,
        buyerId: buyer,
        sellerId: seller,
        quantity: 1,
        unitPrice: 100,
        total: 100,
        acceptedAt: auction.terms.startsAt + 1_000,
      }),
    );
    const good = [bid(auction, buyer, 1), bid(auction, buyer, 1)];
    await enqueue(redis, layout, [good[0] as (typeof good)[number]]);
    await redis.xadd(key, '*', 'kind', 'bid', 'receiptId', poisonReceipt, 'quantity', 'lots');
    await redis.xadd(key, '*', 'garbage', '\u0000\uffff');
    await enqueue(redis, layout, [good[1] as (typeof good)[number]]);

    const c = consumer('c1', { MAX_DELIVERIES: '3', CLAIM_IDLE_MS: '100' });
    await c.consumer.consumeOnce();
    // One pass: the poison's receipt fails in its place, between the good bids around it.
    const settled = await db.sql<{ id: string; status: string }[]>`
      select id, status from receipts where auction_id = ${auction.id} order by settle_seq`;
    expect(settled.map((r) => r.status)).toEqual(['PURCHASED', 'FAILED', 'PURCHASED']);
    expect(settled[1]?.id).toBe(poisonReceipt);

    // No retry can help an entry that does not decode: given up on at its first delivery.
    const dead = await redis.xrange(deadLetterKey(layout, shard), '-', '+');
    expect(dead.map(([, fields]) => fields[fields.indexOf('deliveries') + 1])).toEqual(['1', '1']);
    expect((await redis.xpending(key, CONSUMER_GROUP))[0]).toBe(0);
    const receipts = await receiptsOf(db.sql, auction.id);
    expect(receipts.find((r) => r.id === poisonReceipt)).toMatchObject({
      status: 'FAILED',
      failureReason: 'PROCESSING_FAILED',
    });
    expect(await redis.hexists(pendingReceiptsKey(layout, shard), poisonReceipt)).toBe(0);
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('re-creates its group when Redis lost it (NOGROUP) and keeps settling', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql, 1_000);
    const auction = await createAuction(db.db, seller);
    const key = streamKey(layout, shardOf(auction.id, layout.shards));
    const c = consumer('c1');
    await c.consumer.start();
    await enqueue(redis, layout, [bid(auction, buyer, 1)]);
    await waitFor(async () => (await settledCount(auction.id)) === 1, 10_000, 'first bid');

    await redis.del(key);
    await sleep(300);
    await enqueue(redis, layout, [bid(auction, buyer, 1)]);
    await waitFor(async () => (await settledCount(auction.id)) === 2, 10_000, 'bid after the group was lost');
  });

  it('stops gracefully: finishes what it read, acknowledges it, and gives its shards back', async () => {
    const seller = await createMember(db.sql);
    const buyers = await createMembers(db.sql, Array(200).fill(1_000));
    const auction = await createAuction(db.db, seller, { stock: 1_000 });
    const c = consumer('c1', { BATCH_SIZE: '10' });
    await c.consumer.start();
    await enqueue(
      redis,
      layout,
      buyers.map((b) => bid(auction, b, 1)),
    );
    await waitFor(async () => (await settledCount(auction.id)) > 0, 10_000, 'settling started');
    await c.consumer.stop();

    const key = streamKey(layout, shardOf(auction.id, layout.shards));
    expect((await redis.xpending(key, CONSUMER_GROUP))[0]).toBe(0);
    expect(c.consumer.ownedShards()).toEqual([]);
    const next = consumer('c2');
    await next.consumer.consumeOnce();
    expect(await settledCount(auction.id)).toBe(200);
    expect(await auditLedger(db.sql)).toEqual([]);
  });
});
