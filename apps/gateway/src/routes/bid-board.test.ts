import { decodeMessage, shardOf, streamKey } from '@dutch/stream';
import { startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishBid, runningEnglish } from './english-fixtures.test-util.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

const board = (auctionId: string, token?: string, query = '') =>
  t.request('GET', `/auctions/${auctionId}/bids${query}`, token === undefined ? {} : { token });
const dutchBid = (token: string, auctionId: string, quantity: number) =>
  t.request('POST', `/auctions/${auctionId}/bids`, { token, body: { quantity, maxPrice: 1000 } });

/** The receipt ids of an auction's bids in the order its Redis Stream holds them. */
async function streamOrder(auctionId: string): Promise<string[]> {
  const entries = await t.redis.xrange(streamKey(t.layout, shardOf(auctionId, t.layout.shards)), '-', '+');
  return entries.flatMap(([, fields]) => {
    const decoded = decodeMessage(fields);
    return decoded.ok && decoded.message.kind === 'bid' && decoded.message.auctionId === auctionId
      ? [decoded.message.receiptId]
      : [];
  });
}

async function runningDutch(overrides: Record<string, unknown> = {}) {
  const seller = await t.signUp('Sandra');
  const auction = await t.createAuction(seller.token, { stock: 20, perBuyerLimit: 5, ...overrides });
  t.travel(Date.parse(auction.startsAt) - t.now() + 1);
  return { seller, auction };
}

describe('GET /auctions/:id/bids (the public board)', () => {
  it('lists settled bids in stream order, with masked names, positions and mine', async () => {
    const { seller, auction } = await runningDutch();
    const bella = await t.signUp('Bella', 100_000);
    const b = await t.signUp('B', 100_000);
    const zoe = await t.signUp('Zoë Ann', 100_000);
    // Concurrent bids: the stream decides the order, and the board must follow it.
    const replies = await Promise.all(
      [bella, b, zoe, bella, zoe].map((buyer, i) => dutchBid(buyer.token, auction.id, (i % 3) + 1)),
    );
    expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    // Still PENDING: nothing on the board yet.
    expect((await board(auction.id)).body).toEqual({ items: [], nextCursor: null });
    await t.settle();

    const order = await streamOrder(auction.id);
    expect(order).toHaveLength(5);
    const byReceipt = new Map(replies.map((r, i) => [r.body.receiptId as string, i]));
    const buyers = [bella, b, zoe, bella, zoe];
    const names = new Map([
      [bella.id, 'B***a'],
      [b.id, 'B***'],
      [zoe.id, 'Z***n'],
    ]);
    const reply = await board(auction.id, bella.token);
    expect(reply.status).toBe(200);
    expect(reply.body.nextCursor).toBeNull();
    const expected = order.map((receiptId, index) => {
      const i = byReceipt.get(receiptId) as number;
      const buyer = buyers[i] as { id: string };
      return {
        position: index + 1,
        bidder: names.get(buyer.id),
        acceptedAt: replies[i]?.body.acceptedAt,
        status: 'PURCHASED',
        quantity: (i % 3) + 1,
        unitPrice: 1000,
        mine: buyer.id === bella.id,
      };
    });
    expect(reply.body.items).toEqual(expected);
    // Each receipt shows the same position, to its buyer and to the seller.
    for (const [index, receiptId] of order.entries()) {
      const i = byReceipt.get(receiptId) as number;
      const own = await t.request('GET', `/receipts/${receiptId}`, { token: (buyers[i] as { token: string }).token });
      expect(own.body.position).toBe(index + 1);
      expect((await t.request('GET', `/receipts/${receiptId}`, { token: seller.token })).body.position).toBe(index + 1);
    }
    // No ids anywhere; anonymous readers see the same rows, none of them theirs.
    expect(JSON.stringify(reply.body)).not.toContain(bella.id);
    const anonymous = await board(auction.id);
    expect(anonymous.body.items).toEqual(expected.map((row) => ({ ...row, mine: false })));
  });

  it('pages with an opaque cursor and refuses a forged one', async () => {
    const { auction } = await runningDutch();
    const buyer = await t.signUp('Max', 100_000);
    for (let i = 0; i < 5; i++) expect((await dutchBid(buyer.token, auction.id, 1)).status).toBe(202);
    await t.settle();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = await board(auction.id, undefined, query);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((row: { position: number }) => row.position));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    for (const forged of ['nope', Buffer.from('{"p":-1}').toString('base64url')]) {
      const reply = await board(auction.id, undefined, `?cursor=${forged}`);
      expect([reply.status, reply.body.error.code, reply.body.error.details[0].field]).toEqual([
        400,
        'INVALID_REQUEST',
        'cursor',
      ]);
    }
    expect((await board(auction.id, undefined, '?limit=0')).status).toBe(400);
  });

  it('shows failed bids too, and no quantities on a hidden-stock auction to anyone but the seller', async () => {
    const { seller, auction } = await runningDutch({ stock: 3, perBuyerLimit: 3, showStock: false });
    const first = await t.signUp('Ada', 100_000);
    const second = await t.signUp('Bob', 100_000);
    expect((await dutchBid(first.token, auction.id, 2)).status).toBe(202);
    expect((await dutchBid(second.token, auction.id, 3)).status).toBe(202);
    await t.settle();
    const rows = (token?: string) => board(auction.id, token).then((reply) => reply.body.items);
    expect(await rows(seller.token)).toMatchObject([
      { position: 1, bidder: 'A***a', status: 'PURCHASED', quantity: 2, unitPrice: 1000, mine: false },
      { position: 2, bidder: 'B***b', status: 'FAILED', quantity: 3, unitPrice: 1000, mine: false },
    ]);
    for (const token of [first.token, second.token, undefined]) {
      const items = await rows(token);
      expect(items.map((row: { status: string }) => row.status)).toEqual(['PURCHASED', 'FAILED']);
      for (const row of items) expect(row).not.toHaveProperty('quantity');
      expect(JSON.stringify(items)).not.toMatch(/quantity|stock/i);
    }
    expect((await rows(second.token))[1]).toMatchObject({ mine: true, unitPrice: 1000 });
  });

  it('shows an English auction as its bid history: amounts and outcomes', async () => {
    const { auction } = await runningEnglish(t);
    const ann = await t.signUp('Ann', 100_000);
    const ben = await t.signUp('Benjamin', 100_000);
    expect((await englishBid(t, ann.token, auction.id, 500)).status).toBe(202);
    await t.settle();
    const raise = await englishBid(t, ben.token, auction.id, 600);
    expect(raise.status).toBe(202);
    await t.settle();
    // English receipts carry their position too, in the receipt and in the lists.
    const receipt = await t.request('GET', `/receipts/${raise.body.receiptId}`, { token: ben.token });
    expect(receipt.body).toMatchObject({ format: 'english', status: 'LEADING', position: 2 });
    const purchases = await t.request('GET', '/members/me/purchases', { token: ann.token });
    expect(purchases.body.items).toMatchObject([{ status: 'OUTBID', position: 1 }]);
    const reply = await board(auction.id, ben.token);
    expect(reply.body.items).toEqual([
      { position: 1, bidder: 'A***n', acceptedAt: expect.any(String), status: 'OUTBID', amount: 500, mine: false },
      { position: 2, bidder: 'B***n', acceptedAt: expect.any(String), status: 'LEADING', amount: 600, mine: true },
    ]);
  });

  it('answers 404 for an unknown or withdrawn auction, and 401 for a bad token', async () => {
    const unknown = await board('00000000-0000-4000-8000-000000000000');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const seller = await t.signUp('seller');
    const auction = await t.createAuction(seller.token);
    expect((await board(auction.id)).status).toBe(200);
    expect((await t.request('DELETE', `/auctions/${auction.id}`, { token: seller.token })).status).toBe(204);
    expect((await board(auction.id)).status).toBe(404);
    expect((await board('not-a-uuid')).status).toBe(400);
    expect((await board(auction.id, 'dat_nonsense')).status).toBe(401);
  });
});
