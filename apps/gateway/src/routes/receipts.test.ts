import { pendingReceiptsKey, shardOf } from '@dutch/stream';
import { type Reply, startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

type Member = { id: string; token: string };
const UNKNOWN = '01900000-0000-7000-8000-000000000000';

function expectError(reply: Reply, status: number, code: string) {
  expect([reply.status, reply.body?.error?.code], JSON.stringify(reply.body)).toEqual([status, code]);
}

/** A seller, a buyer with `points`, and an auction (1000, -100 a minute, 10 minutes) that started a moment ago. */
async function running(points = 100_000, overrides: Record<string, unknown> = {}) {
  const seller = await t.signUp('seller');
  const buyer = await t.signUp('buyer', points);
  const auction = await t.createAuction(seller.token, overrides);
  t.travel(Date.parse(auction.startsAt) - t.now() + 1);
  return { seller, buyer, auction };
}

async function bid(auction: { id: string }, buyer: Member, quantity = 1, maxPrice = 1_000_000) {
  const reply = await t.request('POST', `/auctions/${auction.id}/bids`, {
    token: buyer.token,
    body: { quantity, maxPrice },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  return reply.body as { receiptId: string; acceptedAt: string; unitPrice: number };
}

/** A settled purchase: bid, settle, check it went through. */
async function purchase(auction: { id: string }, buyer: Member, quantity = 1) {
  const accepted = await bid(auction, buyer, quantity);
  await t.settle();
  const receipt = await getReceipt(accepted.receiptId, buyer.token);
  expect(receipt.body.status).toBe('PURCHASED');
  return accepted.receiptId;
}

const getReceipt = (id: string, token?: string) =>
  t.request('GET', `/receipts/${id}`, token === undefined ? {} : { token });
const refund = (id: string, token?: string) =>
  t.request('POST', `/receipts/${id}/refund`, token === undefined ? {} : { token });
const pointsOf = async (member: Member) => (await t.request('GET', '/members/me', { token: member.token })).body.points;
const stockOf = async (auctionId: string, seller: Member) =>
  (await t.request('GET', `/auctions/${auctionId}`, { token: seller.token })).body.stock;
const toEnd = (auction: { endsAt: string }) => t.travel(Math.max(0, Date.parse(auction.endsAt) - t.now()));

describe('GET /receipts/:id', () => {
  it('shows the receipt to its buyer and its seller, and 404 to anyone else', async () => {
    const { seller, buyer, auction } = await running();
    const accepted = await bid(auction, buyer, 2);
    await t.settle();
    const expected = {
      id: accepted.receiptId,
      auctionId: auction.id,
      buyerId: buyer.id,
      sellerId: seller.id,
      format: 'dutch',
      quantity: 2,
      unitPrice: 1000,
      total: 2000,
      finalUnitPrice: 1000,
      rebate: 0,
      status: 'PURCHASED',
      acceptedAt: accepted.acceptedAt,
      settledAt: expect.any(String),
      position: 1,
    };
    const asBuyer = await getReceipt(accepted.receiptId, buyer.token);
    expect(asBuyer.status).toBe(200);
    expect(asBuyer.body).toEqual(expected);
    const asSeller = await getReceipt(accepted.receiptId, seller.token);
    expect(asSeller.status).toBe(200);
    expect(asSeller.body).toEqual(asBuyer.body);

    // Another member cannot tell it from a receipt that does not exist.
    const stranger = await t.signUp('stranger');
    const theirs = await getReceipt(accepted.receiptId, stranger.token);
    const unknown = await getReceipt(UNKNOWN, stranger.token);
    expectError(theirs, 404, 'NOT_FOUND');
    expect(theirs.body).toEqual(unknown.body);
  });

  it('also hides a PENDING receipt from anyone but its buyer and seller', async () => {
    const { seller, buyer, auction } = await running();
    const accepted = await bid(auction, buyer);
    const stranger = await t.signUp('stranger');
    const pending = await getReceipt(accepted.receiptId, buyer.token);
    expect(pending.body.status).toBe('PENDING');
    // A place in the settlement order comes with settling.
    expect(pending.body).not.toHaveProperty('position');
    expect((await getReceipt(accepted.receiptId, seller.token)).body.status).toBe('PENDING');
    expectError(await getReceipt(accepted.receiptId, stranger.token), 404, 'NOT_FOUND');
    await t.settle();
  });

  it('answers 404 for an unknown id, 400 for a malformed one, 401 without a token', async () => {
    const member = await t.signUp();
    expectError(await getReceipt(UNKNOWN, member.token), 404, 'NOT_FOUND');
    const bad = await getReceipt('12345', member.token);
    expectError(bad, 400, 'INVALID_REQUEST');
    expect(bad.body.error.message).toContain('id');
    expectError(await getReceipt(UNKNOWN), 401, 'UNAUTHENTICATED');
  });

  it('never answers 404 for an issued receipt, not even while it settles', async () => {
    const seller = await t.signUp('seller');
    const elsewhere = await t.createAuction(seller.token);
    const auction = await t.createAuction(seller.token, { stock: 100, perBuyerLimit: 3 });
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const buyers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => t.signUp(`b${i}`, i % 3 === 0 ? 1_000 : 100_000)),
    );
    // The poor buyers spend their 1000 points elsewhere first: the gateway still counts them
    // (its bound never falls by spending), so their bids below are taken and fail at settlement.
    // A buyer the gateway knows to be short would get 409 at once, with no receipt to read.
    const poor = buyers.filter((_, i) => i % 3 === 0);
    for (const buyer of poor) await bid(elsewhere, buyer, 1);
    expect(await t.settle()).toBe(poor.length);
    for (const buyer of poor) expect(await pointsOf(buyer)).toBe(0);
    // Three rounds: the per-buyer limit is 3.
    for (let round = 0; round < 3; round++) {
      const issued: { id: string; token: string }[] = [];
      for (const buyer of buyers) {
        const accepted = await bid(auction, buyer, 1);
        issued.push({ id: accepted.receiptId, token: buyer.token });
      }
      let settling = true;
      const settled = t.settle().finally(() => {
        settling = false;
      });
      const seen = new Set<string>();
      // Read every receipt over and over while the consumer settles, and once more after.
      for (let last = false; !last; ) {
        last = !settling;
        const replies = await Promise.all(issued.map((r) => getReceipt(r.id, r.token)));
        for (const reply of replies) {
          expect(reply.status, JSON.stringify(reply.body)).toBe(200);
          seen.add(reply.body.status);
        }
      }
      expect(await settled).toBe(issued.length);
      expect([...seen].every((s) => ['PENDING', 'PURCHASED', 'FAILED'].includes(s))).toBe(true);
      const final = await Promise.all(issued.map((r) => getReceipt(r.id, r.token)));
      // The poor buyers (no points left) fail, the others buy.
      expect(final.map((r) => r.body.status)).toEqual(buyers.map((_, i) => (i % 3 === 0 ? 'FAILED' : 'PURCHASED')));
      expect(final.map((r) => r.body.failureReason)).toEqual(
        buyers.map((_, i) => (i % 3 === 0 ? 'INSUFFICIENT_POINTS' : undefined)),
      );
    }
  });
});

describe('POST /receipts/:id/refund', () => {
  it('refunds after the end: 202, then REFUNDED with refundedAt, stock and points back on both sides', async () => {
    const { seller, buyer, auction } = await running(10_000);
    const receiptId = await purchase(auction, buyer, 3);
    expect(await pointsOf(buyer)).toBe(7_000);
    expect(await pointsOf(seller)).toBe(3_000);
    expect(await stockOf(auction.id, seller)).toBe(7);

    toEnd(auction);
    const asked = await refund(receiptId, buyer.token);
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ receiptId, status: 'REFUND_PENDING' });
    expect(['PURCHASED', 'REFUND_PENDING']).toContain((await getReceipt(receiptId, buyer.token)).body.status);

    await t.settle();
    const refunded = await getReceipt(receiptId, buyer.token);
    expect(refunded.body).toMatchObject({ id: receiptId, status: 'REFUNDED', quantity: 3, total: 3000 });
    expect(refunded.body).not.toHaveProperty('failureReason');
    expect(Date.parse(refunded.body.refundedAt)).not.toBeNaN();
    expect((await getReceipt(receiptId, seller.token)).body.status).toBe('REFUNDED');
    expect(await pointsOf(buyer)).toBe(10_000);
    expect(await pointsOf(seller)).toBe(0);
    const view = (await t.request('GET', `/auctions/${auction.id}`, { token: seller.token })).body;
    expect(view).toMatchObject({ stock: 10, initialStock: 10, soldCount: 0, status: 'ended' });

    const ledger = await t.db
      .sql`select kind, from_member, to_member, amount from points_ledger where receipt_id = ${receiptId} order by id`;
    expect(ledger.map((r) => [r.kind, r.from_member, r.to_member, r.amount])).toEqual([
      ['purchase', buyer.id, seller.id, 3000],
      ['refund', seller.id, buyer.id, 3000],
    ]);

    // Once refunded, never again.
    expectError(await refund(receiptId, buyer.token), 409, 'NOT_REFUNDABLE');
    await t.settle();
    expect(await pointsOf(buyer)).toBe(10_000);
  });

  it('refunds once, however many requests arrive at the same moment', async () => {
    const { seller, buyer, auction } = await running(10_000);
    const receiptId = await purchase(auction, buyer, 2);
    toEnd(auction);
    const replies = await Promise.all(Array.from({ length: 8 }, () => refund(receiptId, buyer.token)));
    for (const reply of replies) {
      if (reply.status === 202) expect(reply.body).toEqual({ receiptId, status: 'REFUND_PENDING' });
      else expectError(reply, 409, 'NOT_REFUNDABLE');
    }
    expect(replies.some((reply) => reply.status === 202)).toBe(true);
    await t.settle();
    expect((await getReceipt(receiptId, buyer.token)).body.status).toBe('REFUNDED');
    expect(await pointsOf(buyer)).toBe(10_000);
    expect(await pointsOf(seller)).toBe(0);
    expect(await stockOf(auction.id, seller)).toBe(10);
    const moves = await t.db.sql`select kind from points_ledger where receipt_id = ${receiptId} order by id`;
    expect(moves.map((r) => r.kind)).toEqual(['purchase', 'refund']);
  });

  it('answers 409 AUCTION_NOT_ENDED before endsAt, and changes nothing', async () => {
    const { seller, buyer, auction } = await running();
    const receiptId = await purchase(auction, buyer);
    t.travel(Date.parse(auction.endsAt) - t.now() - 1_000);
    expectError(await refund(receiptId, buyer.token), 409, 'AUCTION_NOT_ENDED');
    await t.settle();
    expect((await getReceipt(receiptId, buyer.token)).body.status).toBe('PURCHASED');
    expect(await stockOf(auction.id, seller)).toBe(9);
  });

  it('answers 409 NOT_REFUNDABLE for PENDING, FAILED, REFUND_PENDING and REFUNDED receipts', async () => {
    const { buyer, auction } = await running(1_500);
    // Enough for one of poor's two bids, so the gateway takes both; the second fails at settlement.
    const poor = await t.signUp('poor', 1_000);
    const bought = await bid(auction, buyer, 1);
    await bid(auction, poor, 1);
    const failed = await bid(auction, poor, 1);
    // A buyer the gateway knows cannot pay is refused at once: no receipt, nothing to refund.
    const broke = await t.signUp('broke', 10);
    const refused = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: broke.token,
      body: { quantity: 1, maxPrice: 1_000_000 },
    });
    expectError(refused, 409, 'INSUFFICIENT_POINTS');
    expect(refused.body.error.message).toEqual(expect.any(String));
    await t.settle();
    expect((await t.request('GET', '/members/me/purchases', { token: broke.token })).body.items).toEqual([]);
    // Accepted while running, left unsettled past the end: still PENDING.
    const late = await bid(auction, buyer, 1);
    toEnd(auction);

    expect((await getReceipt(late.receiptId, buyer.token)).body.status).toBe('PENDING');
    expectError(await refund(late.receiptId, buyer.token), 409, 'NOT_REFUNDABLE');
    expect((await getReceipt(failed.receiptId, poor.token)).body).toMatchObject({
      status: 'FAILED',
      failureReason: 'INSUFFICIENT_POINTS',
    });
    expectError(await refund(failed.receiptId, poor.token), 409, 'NOT_REFUNDABLE');

    expect((await refund(bought.receiptId, buyer.token)).status).toBe(202);
    expect((await getReceipt(bought.receiptId, buyer.token)).body.status).toBe('REFUND_PENDING');
    expectError(await refund(bought.receiptId, buyer.token), 409, 'NOT_REFUNDABLE');

    await t.settle();
    // In stream order: the late bid finds 500 points for a 1000 price, then the refund goes through.
    expect((await getReceipt(late.receiptId, buyer.token)).body).toMatchObject({
      status: 'FAILED',
      failureReason: 'INSUFFICIENT_POINTS',
    });
    expectError(await refund(late.receiptId, buyer.token), 409, 'NOT_REFUNDABLE');
    expect((await getReceipt(bought.receiptId, buyer.token)).body.status).toBe('REFUNDED');
    expectError(await refund(bought.receiptId, buyer.token), 409, 'NOT_REFUNDABLE');
    expect(await pointsOf(buyer)).toBe(1_500);
  });

  it('answers 403 to the seller, 404 to a stranger and for unknown ids, 400 for a bad id, 401 without a token', async () => {
    const { seller, buyer, auction } = await running();
    const receiptId = await purchase(auction, buyer);
    toEnd(auction);
    const stranger = await t.signUp('stranger');
    expectError(await refund(receiptId, seller.token), 403, 'FORBIDDEN');
    expectError(await refund(receiptId, stranger.token), 404, 'NOT_FOUND');
    expectError(await refund(UNKNOWN, buyer.token), 404, 'NOT_FOUND');
    expectError(await refund('not-a-uuid', buyer.token), 400, 'INVALID_REQUEST');
    expectError(await refund(receiptId), 401, 'UNAUTHENTICATED');
    await t.settle();
    expect((await getReceipt(receiptId, buyer.token)).body.status).toBe('PURCHASED');
    expect(await pointsOf(seller)).toBe(1000);
  });

  it('goes back to PURCHASED with SELLER_INSUFFICIENT_POINTS when the seller spent the proceeds, and succeeds once recharged', async () => {
    const { seller, buyer, auction } = await running(10_000);
    const receiptId = await purchase(auction, buyer, 2);
    expect(await pointsOf(seller)).toBe(2_000);

    // The seller spends the proceeds buying in someone else's (longer) auction.
    const other = await t.signUp('other seller');
    const start = t.now() + 1_000;
    const longer = await t.createAuction(other.token, {
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + 3_600_000).toISOString(),
      startPrice: 1_500,
      dropIntervalSeconds: 3600,
    });
    toEnd(auction);
    expect(Date.parse(longer.startsAt)).toBeLessThan(t.now());
    await purchase(longer, seller, 1);
    expect(await pointsOf(seller)).toBe(500);

    expect((await refund(receiptId, buyer.token)).status).toBe(202);
    await t.settle();
    const refused = (await getReceipt(receiptId, buyer.token)).body;
    expect(refused).toMatchObject({ status: 'PURCHASED', failureReason: 'SELLER_INSUFFICIENT_POINTS' });
    expect(refused).not.toHaveProperty('refundedAt');
    expect(await pointsOf(seller)).toBe(500);
    expect(await pointsOf(buyer)).toBe(8_000);
    expect(await stockOf(auction.id, seller)).toBe(8);

    await t.request('POST', '/members/me/points', { token: seller.token, body: { amount: 1_500 } });
    expect((await refund(receiptId, buyer.token)).status).toBe(202);
    await t.settle();
    const done = (await getReceipt(receiptId, buyer.token)).body;
    expect(done).toMatchObject({ status: 'REFUNDED', refundedAt: expect.any(String) });
    expect(done).not.toHaveProperty('failureReason');
    expect(await pointsOf(seller)).toBe(0);
    expect(await pointsOf(buyer)).toBe(10_000);
    expect(await stockOf(auction.id, seller)).toBe(10);
  });
});

describe('GET /members/me/purchases and /members/me/sales', () => {
  interface Row {
    readonly id: string;
    readonly acceptedAt: string;
  }

  /** Newest first: acceptedAt, then id, both descending. */
  const newestFirst = (rows: Row[]) =>
    [...rows]
      .sort((a, b) => Date.parse(b.acceptedAt) - Date.parse(a.acceptedAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((r) => r.id);

  async function walk(path: string, token: string, query: Record<string, string> = {}) {
    const ids: string[] = [];
    // biome-ignore lint/suspicious/noExplicitAny: receipts are read loosely, as every reply body is.
    const items: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const params: URLSearchParams = new URLSearchParams(cursor === null ? query : { ...query, cursor });
      const reply: Reply = await t.request('GET', `${path}?${params}`, { token });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      items.push(...reply.body.items);
      ids.push(...reply.body.items.map((item: Row) => item.id));
      cursor = reply.body.nextCursor;
      pages++;
      expect(pages).toBeLessThan(100);
    } while (cursor !== null);
    return { ids, items, pages };
  }

  it('lists every status newest first, filters by status, and pages each receipt exactly once', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 100_000);
    const rival = await t.signUp('rival', 1_000);
    const first = await t.createAuction(seller.token, { stock: 30, perBuyerLimit: 20 });
    t.travel(Date.parse(first.startsAt) - t.now() + 1);

    const mine: (Row & { status: string })[] = [];
    const theirs: (Row & { status: string })[] = [];
    const add = async (list: typeof mine, member: Member, quantity: number, status: string) => {
      const accepted = await bid(first, member, quantity);
      list.push({ id: accepted.receiptId, acceptedAt: accepted.acceptedAt, status });
      t.travel(7);
    };
    for (let i = 0; i < 9; i++) await add(mine, buyer, 1, 'PURCHASED');
    // Several in the same millisecond: the id breaks the tie.
    const burst = await Promise.all([bid(first, buyer, 1), bid(first, buyer, 1), bid(first, buyer, 1)]);
    for (const accepted of burst)
      mine.push({ id: accepted.receiptId, acceptedAt: accepted.acceptedAt, status: 'PURCHASED' });
    // 20 units allowed, 12 bought so far; 9 more exceed the limit.
    await add(mine, buyer, 9, 'FAILED');
    // The rival can pay for one of these two, so the gateway takes both; the second fails at settlement.
    await add(theirs, rival, 1, 'PURCHASED');
    await add(theirs, rival, 1, 'FAILED');
    await t.settle();
    toEnd(first);
    // Two refunded, one left REFUND_PENDING (not settled before listing).
    for (const row of mine.slice(0, 2)) {
      expect((await refund(row.id, buyer.token)).status).toBe(202);
      row.status = 'REFUNDED';
    }
    await t.settle();
    const pendingRefund = mine[2] as (typeof mine)[number];
    expect((await refund(pendingRefund.id, buyer.token)).status).toBe(202);
    pendingRefund.status = 'REFUND_PENDING';

    const purchases = await walk('/members/me/purchases', buyer.token, { limit: '4' });
    expect(purchases.ids).toEqual(newestFirst(mine));
    expect(new Set(purchases.ids).size).toBe(mine.length);
    expect(purchases.pages).toBe(Math.ceil(mine.length / 4));
    expect(new Set(purchases.items.map((item) => item.status))).toEqual(
      new Set(['PURCHASED', 'FAILED', 'REFUND_PENDING', 'REFUNDED']),
    );
    for (const item of purchases.items) {
      expect(item.status).toBe(mine.find((row) => row.id === item.id)?.status);
      expect(item.buyerId).toBe(buyer.id);
    }
    expect(purchases.items.find((item) => item.status === 'FAILED')).toMatchObject({
      failureReason: 'BUYER_LIMIT_EXCEEDED',
    });
    expect(purchases.items.find((item) => item.status === 'REFUNDED')).toHaveProperty('refundedAt');

    for (const status of ['PURCHASED', 'FAILED', 'REFUND_PENDING', 'REFUNDED']) {
      const filtered = await walk('/members/me/purchases', buyer.token, { status, limit: '2' });
      expect(filtered.ids, status).toEqual(newestFirst(mine.filter((row) => row.status === status)));
    }
    expect((await walk('/members/me/purchases', buyer.token, { status: 'PENDING' })).ids).toEqual([]);

    // The seller sees every buyer's receipts of their auctions; the rival only their own.
    const sales = await walk('/members/me/sales', seller.token, { limit: '5' });
    expect(sales.ids).toEqual(newestFirst([...mine, ...theirs]));
    for (const item of sales.items) expect(item.sellerId).toBe(seller.id);
    const failedSales = await walk('/members/me/sales', seller.token, { status: 'FAILED', limit: '1' });
    expect(failedSales.ids).toEqual(newestFirst([...mine, ...theirs].filter((row) => row.status === 'FAILED')));
    const rivals = await walk('/members/me/purchases', rival.token);
    expect(rivals.ids).toEqual(newestFirst(theirs));
    expect(rivals.items.map((item) => [item.status, item.failureReason])).toEqual([
      ['FAILED', 'INSUFFICIENT_POINTS'],
      ['PURCHASED', undefined],
    ]);
    expect((await walk('/members/me/sales', buyer.token)).ids).toEqual([]);
    expect((await walk('/members/me/purchases', seller.token)).ids).toEqual([]);

    // Defaults: 20 to a page (13 of the buyer's, 2 of the rival's).
    const page = await t.request('GET', '/members/me/sales', { token: seller.token });
    expect(page.body.items).toHaveLength(15);
    expect(page.body.nextCursor).toBeNull();
    await t.settle();
  });

  it('lists bids still PENDING (not yet settled) with the rest, then shows them settled, never twice', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 100_000);
    const auction = await t.createAuction(seller.token, { stock: 10, perBuyerLimit: 10 });
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const settledFirst = await bid(auction, buyer, 1);
    await t.settle();
    t.travel(5);
    const waiting = [await bid(auction, buyer, 1), await bid(auction, buyer, 2)];
    const expected = newestFirst(
      [...waiting, settledFirst].map((r) => ({ id: r.receiptId, acceptedAt: r.acceptedAt })),
    );

    const before = await walk('/members/me/purchases', buyer.token, { limit: '2' });
    expect(before.ids).toEqual(expected);
    expect(before.items.map((item) => item.status)).toEqual(['PENDING', 'PENDING', 'PURCHASED']);
    expect((await walk('/members/me/purchases', buyer.token, { status: 'PENDING' })).ids).toEqual(expected.slice(0, 2));
    expect((await walk('/members/me/sales', seller.token)).ids).toEqual(expected);

    await t.settle();
    const after = await walk('/members/me/purchases', buyer.token, { limit: '2' });
    expect(after.ids).toEqual(expected);
    expect(after.items.map((item) => item.status)).toEqual(['PURCHASED', 'PURCHASED', 'PURCHASED']);
    expect((await walk('/members/me/purchases', buyer.token, { status: 'PENDING' })).ids).toEqual([]);
    // The consumer dropped their pending copies when it settled them.
    const shard = shardOf(auction.id, t.layout.shards);
    for (const r of waiting) expect(await t.redis.hexists(pendingReceiptsKey(t.layout, shard), r.receiptId)).toBe(0);
  });

  it('pages over more than the default page size', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 1_000_000);
    const auction = await t.createAuction(seller.token, { stock: 100, perBuyerLimit: 100 });
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const rows: Row[] = [];
    for (let i = 0; i < 45; i++) {
      const accepted = await bid(auction, buyer, 1);
      rows.push({ id: accepted.receiptId, acceptedAt: accepted.acceptedAt });
      if (i % 4 === 0) t.travel(1);
    }
    await t.settle();
    const first = await t.request('GET', '/members/me/purchases', { token: buyer.token });
    expect(first.body.items).toHaveLength(20);
    const all = await walk('/members/me/purchases', buyer.token);
    expect(all.pages).toBe(3);
    expect(all.ids).toEqual(newestFirst(rows));
    const big = await t.request('GET', '/members/me/purchases?limit=100', { token: buyer.token });
    expect(big.body.items.map((item: Row) => item.id)).toEqual(newestFirst(rows));
    expect(big.body.nextCursor).toBeNull();
  });

  it.each(['/members/me/purchases', '/members/me/sales'])(
    '%s refuses bad queries with 400 and answers 401 without a token',
    async (path) => {
      const member = await t.signUp();
      for (const query of [
        'cursor=garbage',
        'cursor=%7B%7D',
        'limit=0',
        'limit=101',
        'limit=x',
        'status=SOLD',
        'sort=id',
      ]) {
        const reply = await t.request('GET', `${path}?${query}`, { token: member.token });
        expectError(reply, 400, 'INVALID_REQUEST');
        expect(reply.body.error.message).toContain(query.split('=')[0]);
      }
      // A cursor from the auction list is not one of these.
      const seller = await t.signUp();
      await t.createAuction(seller.token);
      await t.createAuction(seller.token);
      const auctionCursor = (await t.request('GET', '/auctions?limit=1')).body.nextCursor;
      expectError(
        await t.request('GET', `${path}?cursor=${auctionCursor}`, { token: member.token }),
        400,
        'INVALID_REQUEST',
      );
      expectError(await t.request('GET', path), 401, 'UNAUTHENTICATED');
    },
  );
});
