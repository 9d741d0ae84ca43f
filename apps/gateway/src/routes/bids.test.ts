import { receiptIdOf, shardOf, streamKey } from '@dutch/stream';
import { startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachedAuction } from '../cache/auction-cache.ts';

/** The stock a Dutch auction's cache entry holds (undefined for none, or an English one). */
const cachedStock = (entry: CachedAuction | null) => (entry?.format === 'dutch' ? entry.stock : undefined);

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A seller, a funded buyer and an auction that started a moment ago (1000, -100 per minute). */
async function runningAuction(overrides: Record<string, unknown> = {}) {
  const seller = await t.signUp('seller');
  const buyer = await t.signUp('buyer', 100_000);
  const auction = await t.createAuction(seller.token, overrides);
  t.travel(Date.parse(auction.startsAt) - t.now() + 1);
  return { seller, buyer, auction };
}

const streamLength = (auctionId: string) => t.redis.xlen(streamKey(t.layout, shardOf(auctionId, t.layout.shards)));

describe('POST /auctions/:id/bids', () => {
  it('answers 202 with a UUIDv7 receipt before any database write; the receipt reads PENDING at once', async () => {
    const { buyer, auction } = await runningAuction();
    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 2, maxPrice: 1000 },
    });
    expect(bid.status).toBe(202);
    expect(bid.body).toEqual({
      receiptId: expect.stringMatching(UUID_V7),
      status: 'PENDING',
      acceptedAt: expect.any(String),
      unitPrice: 1000,
    });
    expect(bid.headers.get('location')).toBe(`/receipts/${bid.body.receiptId}`);
    expect(await t.db.sql`select 1 from receipts where id = ${bid.body.receiptId}`).toHaveLength(0);
    const [last] = await t.redis.xrevrange(
      streamKey(t.layout, shardOf(auction.id, t.layout.shards)),
      '+',
      '-',
      'COUNT',
      1,
    );
    expect(receiptIdOf(last?.[1] ?? [])).toBe(bid.body.receiptId);

    const pending = await t.request('GET', `/receipts/${bid.body.receiptId}`, { token: buyer.token });
    expect(pending.body).toMatchObject({
      id: bid.body.receiptId,
      status: 'PENDING',
      quantity: 2,
      unitPrice: 1000,
      total: 2000,
    });

    await t.settle();
    const settled = await t.request('GET', `/receipts/${bid.body.receiptId}`, { token: buyer.token });
    expect(settled.body).toMatchObject({
      status: 'PURCHASED',
      total: 2000,
      acceptedAt: bid.body.acceptedAt,
      settledAt: expect.any(String),
    });
  });

  it('prices the bid at the gateway clock: after a drop the buyer pays the lower price', async () => {
    const { buyer, auction } = await runningAuction();
    t.travel(125_000);
    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 1, maxPrice: 5000 },
    });
    expect(bid.body.unitPrice).toBe(800);
  });

  it('refuses with the documented codes, and queues nothing', async () => {
    const { seller, buyer, auction } = await runningAuction({ perBuyerLimit: 3 });
    const bid = (body: unknown, token = buyer.token, id = auction.id) =>
      t.request('POST', `/auctions/${id}/bids`, { token, body });
    const before = await streamLength(auction.id);

    expect((await bid({ quantity: 1, maxPrice: 1000 }, '')).status).toBe(401);
    expect(
      (await bid({ quantity: 1, maxPrice: 1000 }, buyer.token, '01900000-0000-7000-8000-000000000000')).body.error.code,
    ).toBe('NOT_FOUND');
    expect((await bid({ quantity: 1, maxPrice: 1000 }, buyer.token, 'not-a-uuid')).status).toBe(400);
    for (const body of [
      { quantity: 0, maxPrice: 1000 },
      { quantity: 4, maxPrice: 1000 },
      { quantity: 1 },
      { quantity: 1, maxPrice: 0 },
      { quantity: 1.5, maxPrice: 1000 },
    ]) {
      const reply = await bid(body);
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('INVALID_REQUEST');
    }
    const above = await bid({ quantity: 1, maxPrice: 999 });
    expect([above.status, above.body.error.code]).toEqual([409, 'PRICE_ABOVE_MAX']);
    const own = await bid({ quantity: 1, maxPrice: 1000 }, seller.token);
    expect([own.status, own.body.error.code]).toEqual([409, 'OWN_AUCTION']);
    t.travel(600_000);
    const ended = await bid({ quantity: 1, maxPrice: 1000 });
    expect([ended.status, ended.body.error.code]).toEqual([409, 'AUCTION_NOT_RUNNING']);
    expect(await streamLength(auction.id)).toBe(before);
  });

  it('refuses bids before the start', async () => {
    const seller = await t.signUp();
    const buyer = await t.signUp('b', 10_000);
    const auction = await t.createAuction(seller.token);
    const early = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 1, maxPrice: 1000 },
    });
    expect([early.status, early.body.error.code]).toEqual([409, 'AUCTION_NOT_RUNNING']);
  });

  it('once stock reaches 0, refuses SOLD_OUT at once without touching the stream', async () => {
    const { buyer, auction } = await runningAuction({ stock: 2, perBuyerLimit: 2 });
    await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 2, maxPrice: 1000 },
    });
    await t.settle();
    await waitFor(
      async () => cachedStock(await t.gateway.context.auctions.get(auction.id)) === 0,
      5_000,
      'the stock event',
    );
    const queued = await streamLength(auction.id);
    const other = await t.signUp('late', 10_000);
    const late = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: other.token,
      body: { quantity: 1, maxPrice: 1000 },
    });
    expect([late.status, late.body.error.code]).toEqual([409, 'SOLD_OUT']);
    expect(await streamLength(auction.id)).toBe(queued);
  });
});

describe('Idempotency-Key', () => {
  it('20 concurrent identical requests give one receipt and queue one bid', async () => {
    const { buyer, auction } = await runningAuction();
    const queued = await streamLength(auction.id);
    const send = () =>
      t.request('POST', `/auctions/${auction.id}/bids`, {
        token: buyer.token,
        body: { quantity: 1, maxPrice: 1000 },
        headers: { 'idempotency-key': 'order-42' },
      });
    const replies = await Promise.all(Array.from({ length: 20 }, send));
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set([202]));
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(await streamLength(auction.id)).toBe(queued + 1);
    await t.settle();
    expect(await t.db.sql`select id from receipts where auction_id = ${auction.id}`).toHaveLength(1);
  });

  it('replays the original answer later, even after the auction sold out', async () => {
    const { buyer, auction } = await runningAuction({ stock: 1, perBuyerLimit: 1 });
    const options = { token: buyer.token, body: { quantity: 1, maxPrice: 1000 }, headers: { 'idempotency-key': 'k1' } };
    const first = await t.request('POST', `/auctions/${auction.id}/bids`, options);
    await t.settle();
    await waitFor(
      async () => cachedStock(await t.gateway.context.auctions.get(auction.id)) === 0,
      5_000,
      'the stock event',
    );
    t.travel(60_000);
    const again = await t.request('POST', `/auctions/${auction.id}/bids`, options);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
  });

  it('refuses the same key with a different body, or for another auction (on another shard)', async () => {
    const { buyer, auction } = await runningAuction();
    const seller = await t.signUp();
    let other = await t.createAuction(seller.token);
    while (shardOf(other.id, t.layout.shards) === shardOf(auction.id, t.layout.shards))
      other = await t.createAuction(seller.token);
    const send = (id: string, quantity: number) =>
      t.request('POST', `/auctions/${id}/bids`, {
        token: buyer.token,
        body: { quantity, maxPrice: 2000 },
        headers: { 'idempotency-key': 'same' },
      });
    const queuedElsewhere = await streamLength(other.id);
    expect((await send(auction.id, 1)).status).toBe(202);
    const changed = await send(auction.id, 2);
    expect([changed.status, changed.body.error.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    t.travel(60_000);
    const elsewhere = await send(other.id, 1);
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await streamLength(other.id)).toBe(queuedElsewhere);
  });

  it('scopes keys per buyer', async () => {
    const { auction } = await runningAuction();
    const a = await t.signUp('a', 10_000);
    const b = await t.signUp('b', 10_000);
    const send = (token: string) =>
      t.request('POST', `/auctions/${auction.id}/bids`, {
        token,
        body: { quantity: 1, maxPrice: 1000 },
        headers: { 'idempotency-key': 'shared' },
      });
    const [ra, rb] = [await send(a.token), await send(b.token)];
    expect(ra.body.receiptId).not.toBe(rb.body.receiptId);
  });

  it('refuses a malformed key', async () => {
    const { buyer, auction } = await runningAuction();
    const reply = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 1, maxPrice: 1000 },
      headers: { 'idempotency-key': 'x'.repeat(256) },
    });
    expect(reply.status).toBe(400);
  });
});

describe('per-buyer rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a buyer exceeds the burst', async () => {
    const limited = await startTestGateway({ BID_RATE_PER_SECOND: '1', BID_RATE_BURST: '3' });
    try {
      const seller = await limited.signUp();
      const buyer = await limited.signUp('b', 100_000);
      const auction = await limited.createAuction(seller.token, { perBuyerLimit: 10, stock: 100 });
      limited.travel(60_001);
      const replies = [];
      for (let i = 0; i < 5; i++) {
        replies.push(
          await limited.request('POST', `/auctions/${auction.id}/bids`, {
            token: buyer.token,
            body: { quantity: 1, maxPrice: 1000 },
          }),
        );
      }
      expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 429, 429]);
      expect(replies[3]?.body.error.code).toBe('RATE_LIMITED');
      expect(Number(replies[3]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });
});
