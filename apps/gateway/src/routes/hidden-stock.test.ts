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

const STOCK_FIELDS = ['stock', 'initialStock', 'soldCount'];

/** A running auction whose seller hides the stock: 10 units, 6 already sold, so 4 left; buyers may ask for up to 10. */
async function hiddenAuction() {
  const seller = await t.signUp('seller');
  const buyer = await t.signUp('buyer', 1_000_000);
  const early = await t.signUp('early buyer', 1_000_000);
  const auction = await t.createAuction(seller.token, { stock: 10, perBuyerLimit: 10, showStock: false });
  t.travel(Date.parse(auction.startsAt) - t.now() + 1);
  const first = await t.request('POST', `/auctions/${auction.id}/bids`, {
    token: early.token,
    body: { quantity: 6, maxPrice: 1000 },
  });
  expect(first.status).toBe(202);
  await waitFor(async () => {
    await t.settle();
    return cachedStock(await t.gateway.context.auctions.get(auction.id)) === 4;
  });
  return { seller, buyer, auction };
}

describe('a hidden stock stays hidden from buyers', () => {
  it('answers the binary-search probe (quantity q at maxPrice 1) the same for q <= stock and q > stock', async () => {
    const { buyer, auction } = await hiddenAuction();
    const answers = [];
    for (let quantity = 1; quantity <= 10; quantity++) {
      const reply = await t.request('POST', `/auctions/${auction.id}/bids`, {
        token: buyer.token,
        body: { quantity, maxPrice: 1 },
      });
      answers.push({ status: reply.status, body: JSON.stringify(reply.body) });
    }
    expect(answers[0]?.status).toBe(409);
    expect(JSON.parse(answers[0]?.body ?? '{}').error.code).toBe('PRICE_ABOVE_MAX');
    // q = 1..4 are within the stock, 5..10 beyond it: one answer for all.
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
  });

  it('queues a bid for more than the hidden stock; settlement fails it without naming the stock', async () => {
    const { buyer, auction } = await hiddenAuction();
    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 5, maxPrice: 1000 },
    });
    expect(bid.status).toBe(202);
    const settled = await waitFor(async () => {
      await t.settle();
      const receipt = await t.request('GET', `/receipts/${bid.body.receiptId}`, { token: buyer.token });
      return receipt.body.status === 'PENDING' ? undefined : receipt;
    });
    expect(settled.body).toMatchObject({ status: 'FAILED', failureReason: 'SOLD_OUT' });
    expect(JSON.stringify(settled.body)).not.toMatch(/\b4\b.*left|left.*\b4\b/);
    for (const field of STOCK_FIELDS) expect(settled.body).not.toHaveProperty(field);
  });

  it('refuses SOLD_OUT only once the stock is 0, as status says', async () => {
    const { buyer, auction } = await hiddenAuction();
    const all = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 4, maxPrice: 1000 },
    });
    expect(all.status).toBe(202);
    await waitFor(async () => {
      await t.settle();
      return (await t.request('GET', `/auctions/${auction.id}`)).body.status === 'sold_out';
    });
    const after = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 1, maxPrice: 1000 },
    });
    expect(after.status).toBe(409);
    expect(after.body).toEqual({ error: { code: 'SOLD_OUT', message: 'The auction is sold out.' } });
  });

  it('shows no stock figure to a buyer or anonymously, in the view or any list sort or filter; the seller sees it', async () => {
    const { seller, buyer, auction } = await hiddenAuction();
    const paths = [
      `/auctions/${auction.id}`,
      ...['startsAt', '-startsAt', 'currentPrice', '-currentPrice'].flatMap((sort) => [
        `/auctions?sort=${sort}&limit=100`,
        `/auctions?sort=${sort}&status=running&limit=100`,
      ]),
    ];
    for (const path of paths) {
      for (const token of [buyer.token, undefined]) {
        const reply = await t.request('GET', path, token === undefined ? {} : { token });
        expect(reply.status).toBe(200);
        const views = 'items' in reply.body ? reply.body.items : [reply.body];
        const view = views.find((item: { id: string }) => item.id === auction.id);
        expect(view, path).toBeDefined();
        for (const field of STOCK_FIELDS) expect(view, path).not.toHaveProperty(field);
      }
    }
    const own = await t.request('GET', `/auctions/${auction.id}`, { token: seller.token });
    expect(own.body).toMatchObject({ stock: 4, initialStock: 10, soldCount: 6 });
  });
});
