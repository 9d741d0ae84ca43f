import { auditLedger } from '@dutch/db';
import type { KeyLayout, RedisClient } from '@dutch/stream';
import { connectRedis } from '@dutch/stream';
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
  refund,
  startTestConsumer,
  stockOf,
  type TestConsumer,
  type TestDatabase,
} from '@dutch/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

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

function consumer(name = 'c1', extra: Record<string, string> = {}): TestConsumer {
  const c = startTestConsumer(db.url, layout, name, extra);
  consumers.push(c);
  return c;
}

describe('settlement through the real pipeline (XADD -> consumer -> Postgres)', () => {
  it('the classic race: stock 10, limit 5, ten buyers x2 -> 5 PURCHASED, 5 SOLD_OUT, first come first served', async () => {
    const seller = await createMember(db.sql);
    const buyers = await createMembers(db.sql, Array(10).fill(1_000));
    const auction = await createAuction(db.db, seller, { stock: 10, perBuyerLimit: 5, startPrice: 100 });
    const messages = buyers.map((b) => bid(auction, b, 2));
    await enqueue(redis, layout, messages);

    await consumer().consumer.consumeOnce();

    const receipts = await receiptsOf(db.sql, auction.id);
    expect(receipts.map((r) => r.id)).toEqual(messages.map((m) => m.receiptId));
    expect(receipts.map((r) => r.failureReason ?? r.status)).toEqual([
      ...Array(5).fill('PURCHASED'),
      ...Array(5).fill('SOLD_OUT'),
    ]);
    expect(await stockOf(db.sql, auction.id)).toBe(0);
    const points = await pointsOf(db.sql, [seller, ...buyers]);
    expect(points.get(seller)).toBe(10 * 100);
    expect(buyers.map((b) => points.get(b))).toEqual([...Array(5).fill(800), ...Array(5).fill(1_000)]);
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('one poor buyer among rich ones: exactly the poor one fails with INSUFFICIENT_POINTS', async () => {
    const seller = await createMember(db.sql);
    const buyers = await createMembers(db.sql, [1_000, 1_000, 1_000, 199, 1_000, 1_000]);
    const auction = await createAuction(db.db, seller, { stock: 20, perBuyerLimit: 2, startPrice: 100 });
    await enqueue(
      redis,
      layout,
      buyers.map((b) => bid(auction, b, 2)),
    );

    await consumer().consumer.consumeOnce();

    const receipts = await receiptsOf(db.sql, auction.id);
    const failed = receipts.filter((r) => r.status === 'FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ buyerId: buyers[3], failureReason: 'INSUFFICIENT_POINTS' });
    expect((await pointsOf(db.sql, [buyers[3] as string])).get(buyers[3] as string)).toBe(199);
    expect(await stockOf(db.sql, auction.id)).toBe(10);
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('ten purchases then ten refunds restore the stock and every balance', async () => {
    const seller = await createMember(db.sql, 50);
    const buyers = await createMembers(db.sql, Array(10).fill(500));
    const now = Date.now();
    // Already ended: bids were accepted inside the window, refunds asked for after it.
    const auction = await createAuction(db.db, seller, {
      stock: 10,
      perBuyerLimit: 1,
      startsAt: now - 120_000,
      endsAt: now - 60_000,
    });
    const bids = buyers.map((b) => bid(auction, b, 1));
    await enqueue(redis, layout, bids);
    const c = consumer();
    await c.consumer.consumeOnce();
    expect(await stockOf(db.sql, auction.id)).toBe(0);
    const before = await pointsOf(db.sql, [seller, ...buyers]);
    expect(before.get(seller)).toBe(50 + 10 * 100);

    await enqueue(
      redis,
      layout,
      bids.map((b) => refund(auction, b.receiptId, b.buyerId)),
    );
    await c.consumer.consumeOnce();

    expect(await stockOf(db.sql, auction.id)).toBe(10);
    const receipts = await receiptsOf(db.sql, auction.id);
    expect(receipts.map((r) => r.status)).toEqual(Array(10).fill('REFUNDED'));
    const after = await pointsOf(db.sql, [seller, ...buyers]);
    expect(after.get(seller)).toBe(50);
    for (const b of buyers) expect(after.get(b)).toBe(500);
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('a refund the seller cannot pay leaves the receipt PURCHASED with SELLER_INSUFFICIENT_POINTS', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql, 500);
    const otherSeller = await createMember(db.sql);
    const now = Date.now();
    const auction = await createAuction(db.db, seller, { startsAt: now - 120_000, endsAt: now - 60_000 });
    const elsewhere = await createAuction(db.db, otherSeller, { startPrice: 150 });
    const b = bid(auction, buyer, 2);
    const c = consumer();
    await enqueue(redis, layout, [b]);
    await c.consumer.consumeOnce();
    // The seller spends most of the 200 proceeds before the refund is asked for.
    await enqueue(redis, layout, [bid(elsewhere, seller, 1)]);
    await c.consumer.consumeOnce();
    expect((await pointsOf(db.sql, [seller])).get(seller)).toBe(50);

    await enqueue(redis, layout, [refund(auction, b.receiptId, buyer)]);
    await c.consumer.consumeOnce();

    const [receipt] = await receiptsOf(db.sql, auction.id);
    expect(receipt).toMatchObject({ status: 'PURCHASED', failureReason: 'SELLER_INSUFFICIENT_POINTS' });
    expect(await stockOf(db.sql, auction.id)).toBe(8);
    expect((await pointsOf(db.sql, [buyer])).get(buyer)).toBe(300);
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('counts purchases from earlier batches toward the per-buyer limit', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql, 10_000);
    const auction = await createAuction(db.db, seller, { stock: 10, perBuyerLimit: 3 });
    const c = consumer();
    await enqueue(redis, layout, [bid(auction, buyer, 2)]);
    await c.consumer.consumeOnce();
    await enqueue(redis, layout, [bid(auction, buyer, 2), bid(auction, buyer, 1)]);
    await c.consumer.consumeOnce();
    const receipts = await receiptsOf(db.sql, auction.id);
    expect(receipts.map((r) => r.failureReason ?? r.status)).toEqual([
      'PURCHASED',
      'BUYER_LIMIT_EXCEEDED',
      'PURCHASED',
    ]);
  });
});
