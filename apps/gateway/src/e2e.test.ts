import { type Stack, startStack, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: Stack;
let base: string;

beforeAll(async () => {
  stack = await startStack();
  base = stack.url;
});

afterAll(async () => {
  await stack.stop();
});

async function call(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test asserts on the JSON it reads.
  const json: any = response.status === 204 ? null : await response.json();
  return { status: response.status, body: json };
}

async function untilFinal(token: string, receiptId: string, done: (status: string) => boolean) {
  return waitFor(
    async () => {
      const receipt = await call('GET', `/receipts/${receiptId}`, token);
      expect(receipt.status).toBe(200);
      return done(receipt.body.status) ? receipt.body : undefined;
    },
    15_000,
    `receipt ${receiptId}`,
  );
}

describe('end to end, over a real socket', () => {
  it('sign up, charge, auction, bids, settlement, history, end, refund, balances', async () => {
    const seller = (await call('POST', '/members', undefined, { name: 'Seller' })).body;
    const alice = (await call('POST', '/members', undefined, { name: 'Alice' })).body;
    const bob = (await call('POST', '/members', undefined, { name: 'Bob' })).body;
    expect((await call('POST', '/members/me/points', alice.token, { amount: 5_000 })).body).toEqual({ points: 5_000 });
    expect((await call('POST', '/members/me/points', bob.token, { amount: 150 })).body).toEqual({ points: 150 });

    const startsAt = Date.now() + 1_000;
    const created = await call('POST', '/auctions', seller.token, {
      title: 'Concert tickets',
      startPrice: 300,
      floorPrice: 100,
      priceDrop: { kind: 'percentage', percent: 20 },
      dropIntervalSeconds: 1,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 3_000).toISOString(),
      // 4, not 3: Alice's 2 and Bob's first leave one, so his second can fail only for points.
      stock: 4,
      perBuyerLimit: 2,
    });
    expect(created.status).toBe(201);
    const auctionId = created.body.id;
    await waitFor(
      async () => (await call('GET', `/auctions/${auctionId}`)).body.status === 'running',
      5_000,
      'the start',
    );

    const aliceBid = await call('POST', `/auctions/${auctionId}/bids`, alice.token, { quantity: 2, maxPrice: 300 });
    // Bob has 150 points; the price is 300 or 240 by then: plainly short, refused at once, nothing queued.
    const refused = await call('POST', `/auctions/${auctionId}/bids`, bob.token, { quantity: 1, maxPrice: 300 });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: { code: 'INSUFFICIENT_POINTS', message: expect.any(String) } });
    expect((await call('GET', '/members/me/purchases', bob.token)).body.items).toEqual([]);
    // With 300 he can pay for one bid and the gateway takes two (it never lowers what it knows
    // of his points by spending); the first settles first and leaves too few for the second.
    // Every price until the end is at least 153, so two always cost more than 300.
    expect((await call('POST', '/members/me/points', bob.token, { amount: 150 })).body).toEqual({ points: 300 });
    const bobPaid = await call('POST', `/auctions/${auctionId}/bids`, bob.token, { quantity: 1, maxPrice: 300 });
    const bobBid = await call('POST', `/auctions/${auctionId}/bids`, bob.token, { quantity: 1, maxPrice: 300 });
    expect([aliceBid.status, bobPaid.status, bobBid.status]).toEqual([202, 202, 202]);
    const aliceReceipt = await untilFinal(alice.token, aliceBid.body.receiptId, (s) => s !== 'PENDING');
    const bobPaidReceipt = await untilFinal(bob.token, bobPaid.body.receiptId, (s) => s !== 'PENDING');
    const bobReceipt = await untilFinal(bob.token, bobBid.body.receiptId, (s) => s !== 'PENDING');
    expect(aliceReceipt).toMatchObject({ status: 'PURCHASED', quantity: 2, total: 2 * aliceBid.body.unitPrice });
    expect(bobPaidReceipt).toMatchObject({ status: 'PURCHASED', quantity: 1, total: bobPaid.body.unitPrice });
    expect(bobReceipt).toMatchObject({ status: 'FAILED', failureReason: 'INSUFFICIENT_POINTS' });

    const purchases = await call('GET', '/members/me/purchases', alice.token);
    expect(purchases.body.items.map((r: { id: string }) => r.id)).toEqual([aliceBid.body.receiptId]);
    const sales = await call('GET', '/members/me/sales', seller.token);
    expect(sales.body.items.map((r: { id: string }) => r.id).sort()).toEqual(
      [aliceBid.body.receiptId, bobPaid.body.receiptId, bobBid.body.receiptId].sort(),
    );
    expect((await call('GET', `/auctions/${auctionId}`, seller.token)).body).toMatchObject({ stock: 1, soldCount: 3 });

    const early = await call('POST', `/receipts/${aliceBid.body.receiptId}/refund`, alice.token);
    expect([early.status, early.body.error.code]).toEqual([409, 'AUCTION_NOT_ENDED']);
    await waitFor(async () => (await call('GET', `/auctions/${auctionId}`)).body.status === 'ended', 6_000, 'the end');
    const refund = await call('POST', `/receipts/${aliceBid.body.receiptId}/refund`, alice.token);
    expect(refund).toEqual({ status: 202, body: { receiptId: aliceBid.body.receiptId, status: 'REFUND_PENDING' } });
    const refunded = await untilFinal(alice.token, aliceBid.body.receiptId, (s) => s === 'REFUNDED');
    expect(refunded.refundedAt).toEqual(expect.any(String));

    expect((await call('GET', '/members/me', alice.token)).body.points).toBe(5_000);
    // Bob keeps his one purchase: its price went from him to the seller.
    expect((await call('GET', '/members/me', bob.token)).body.points).toBe(300 - bobPaid.body.unitPrice);
    expect((await call('GET', '/members/me', seller.token)).body.points).toBe(bobPaid.body.unitPrice);
    await waitFor(
      // 4 less Bob's unit.
      async () => (await call('GET', `/auctions/${auctionId}`, seller.token)).body.stock === 3,
      5_000,
      'stock back',
    );
    expect(await stack.audit()).toEqual([]);
  }, 40_000);
});
