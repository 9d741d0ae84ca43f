import { decodeMessage, shardOf, streamKey } from '@dutch/stream';
import { type Reply, startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseToken } from '../auth/tokens.ts';
import { cachedLead, englishBid, runningEnglish } from './english-fixtures.test-util.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const streamOf = (auctionId: string) => streamKey(t.layout, shardOf(auctionId, t.layout.shards));
const streamLength = (auctionId: string) => t.redis.xlen(streamOf(auctionId));

function expectError(reply: Reply, status: number, code: string) {
  expect([reply.status, reply.body?.error?.code], JSON.stringify(reply.body)).toEqual([status, code]);
}

describe('POST /auctions/:id/bids on an English auction', () => {
  it('answers 202 {receiptId, status, acceptedAt, amount}, queues an english_bid and shows a PENDING English receipt', async () => {
    const { auction } = await runningEnglish(t);
    const buyer = await t.signUp('buyer', 10_000);
    const bid = await englishBid(t, buyer.token, auction.id, 550);
    expect(bid.status, JSON.stringify(bid.body)).toBe(202);
    expect(bid.body).toEqual({
      receiptId: expect.stringMatching(UUID_V7),
      status: 'PENDING',
      acceptedAt: expect.any(String),
      amount: 550,
    });
    expect(bid.headers.get('location')).toBe(`/receipts/${bid.body.receiptId}`);
    const [last] = await t.redis.xrevrange(streamOf(auction.id), '+', '-', 'COUNT', 1);
    const decoded = decodeMessage(last?.[1] ?? []);
    expect(decoded).toMatchObject({ ok: true, message: { kind: 'english_bid', amount: 550, buyerId: buyer.id } });

    const pending = await t.request('GET', `/receipts/${bid.body.receiptId}`, { token: buyer.token });
    expect(pending.body).toEqual({
      id: bid.body.receiptId,
      auctionId: auction.id,
      buyerId: buyer.id,
      sellerId: auction.sellerId,
      format: 'english',
      amount: 550,
      status: 'PENDING',
      acceptedAt: bid.body.acceptedAt,
    });
    await t.settle();
    const settled = await t.request('GET', `/receipts/${bid.body.receiptId}`, { token: buyer.token });
    expect(settled.body).toMatchObject({
      format: 'english',
      amount: 550,
      status: 'LEADING',
      settledAt: expect.any(String),
    });
    expect(settled.body).not.toHaveProperty('quantity');
  });

  it("answers 404 before the body's format, then 400 naming the fields for the other format's body", async () => {
    const { auction } = await runningEnglish(t);
    const dutch = await t.createAuction((await t.signUp('dutch seller')).token, { startsIn: 0 });
    const buyer = await t.signUp('buyer', 10_000);
    const bid = (id: string, body: unknown) => t.request('POST', `/auctions/${id}/bids`, { token: buyer.token, body });
    const before = await streamLength(auction.id);

    expectError(await bid('01900000-0000-7000-8000-000000000000', { quantity: 1, maxPrice: 10 }), 404, 'NOT_FOUND');
    const dutchOnEnglish = await bid(auction.id, { quantity: 1, maxPrice: 1000 });
    expectError(dutchOnEnglish, 400, 'INVALID_REQUEST');
    const named = dutchOnEnglish.body.error.details.map((d: { field: string }) => d.field);
    expect(named).toEqual(expect.arrayContaining(['amount', 'quantity', 'maxPrice']));
    const englishOnDutch = await bid(dutch.id, { amount: 1000 });
    expectError(englishOnDutch, 400, 'INVALID_REQUEST');
    expect(englishOnDutch.body.error.message).toContain('quantity');
    expect(englishOnDutch.body.error.message).toContain('maxPrice');
    for (const body of [{ amount: 0 }, { amount: 550.5 }, { amount: '550' }, { amount: 550, quantity: 1 }, {}]) {
      expectError(await bid(auction.id, body), 400, 'INVALID_REQUEST');
    }
    expect((await bid(auction.id, { amount: 0 })).body.error.message).toContain('amount');
    expect(await streamLength(auction.id)).toBe(before);
  });

  it('refuses BID_TOO_LOW below minNextBid as the gateway knows it, never naming the reserve', async () => {
    const { auction } = await runningEnglish(t, { reservePrice: 987_654 });
    const buyer = await t.signUp('buyer', 2_000_000);
    const rival = await t.signUp('rival', 2_000_000);
    const low = await englishBid(t, buyer.token, auction.id, 499);
    expectError(low, 409, 'BID_TOO_LOW');
    expect(low.body.error.message).toContain('500');
    expect(low.body.error.message).not.toContain('987654');
    expect((await englishBid(t, buyer.token, auction.id, 600)).status).toBe(202);
    await t.settle();
    await waitFor(async () => (await cachedLead(t, auction.id))?.highBid === 600, 5_000, 'the lead event');
    const below = await englishBid(t, rival.token, auction.id, 649);
    expectError(below, 409, 'BID_TOO_LOW');
    expect(below.body.error.message).toContain('650');
    expect(JSON.stringify(below.body)).not.toContain('987654');
    expect((await englishBid(t, rival.token, auction.id, 650)).status).toBe(202);
  });

  it('queues a bid the lagging cache cannot judge; settlement fails it BID_TOO_LOW', async () => {
    const { auction } = await runningEnglish(t);
    const first = await t.signUp('first', 10_000);
    const second = await t.signUp('second', 10_000);
    const a = await englishBid(t, first.token, auction.id, 700);
    // The gateway has heard of no lead yet: 520 >= 500 as far as it knows.
    const b = await englishBid(t, second.token, auction.id, 520);
    expect([a.status, b.status]).toEqual([202, 202]);
    await t.settle();
    const receipt = await t.request('GET', `/receipts/${b.body.receiptId}`, { token: second.token });
    expect(receipt.body).toMatchObject({ status: 'FAILED', failureReason: 'BID_TOO_LOW' });
  });

  it('refuses OWN_AUCTION and AUCTION_NOT_RUNNING before the start and after a fixed end, queuing nothing', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 10_000);
    const created = await t.request('POST', '/auctions', {
      token: seller.token,
      body: {
        format: 'english',
        title: 'Clock',
        startPrice: 100,
        minIncrement: 10,
        startsAt: new Date(t.now() + 60_000).toISOString(),
        endsAt: new Date(t.now() + 120_000).toISOString(),
      },
    });
    const auction = created.body;
    const before = await streamLength(auction.id);
    expectError(await englishBid(t, buyer.token, auction.id, 100), 409, 'AUCTION_NOT_RUNNING');
    t.travel(60_001);
    expectError(await englishBid(t, seller.token, auction.id, 100), 409, 'OWN_AUCTION');
    t.travel(60_000);
    expectError(await englishBid(t, buyer.token, auction.id, 100), 409, 'AUCTION_NOT_RUNNING');
    expect(await streamLength(auction.id)).toBe(before);
  });

  it('with a soft close, refuses a bid past the end once Postgres confirms it, and without a read once closed', async () => {
    const { auction } = await runningEnglish(t, { extendSeconds: 30 });
    const buyer = await t.signUp('buyer', 10_000);
    t.travel(Date.parse(auction.endsAt) - t.now() + 1);
    expectError(await englishBid(t, buyer.token, auction.id, 500), 409, 'AUCTION_NOT_RUNNING');
    // Past the closer's grace: the close is appended and settled.
    t.travel(5_000);
    await t.settle();
    await waitFor(async () => (await t.gateway.context.auctions.get(auction.id))?.closedAt !== null, 5_000, 'closed');
    const reads = t.gateway.context.auctions.rowReads;
    expectError(await englishBid(t, buyer.token, auction.id, 600), 409, 'AUCTION_NOT_RUNNING');
    expect(t.gateway.context.auctions.rowReads).toBe(reads);
  });

  it('replays an Idempotency-Key with the same amount and refuses it for another amount or auction', async () => {
    const { auction } = await runningEnglish(t);
    const other = await runningEnglish(t);
    const buyer = await t.signUp('buyer', 10_000);
    const first = await englishBid(t, buyer.token, auction.id, 500, 'raise-1');
    expect(first.status).toBe(202);
    const replay = await englishBid(t, buyer.token, auction.id, 500, 'raise-1');
    expect([replay.status, replay.body]).toEqual([202, first.body]);
    expectError(await englishBid(t, buyer.token, auction.id, 550, 'raise-1'), 409, 'IDEMPOTENCY_KEY_REUSED');
    expectError(await englishBid(t, buyer.token, other.auction.id, 500, 'raise-1'), 409, 'IDEMPOTENCY_KEY_REUSED');
    await t.settle();
    // Settled and outbid by nobody: a retry still gets its first answer.
    const later = await englishBid(t, buyer.token, auction.id, 500, 'raise-1');
    expect([later.status, later.body]).toEqual([202, first.body]);
  });
});

describe('the points bound on English bids', () => {
  it('refuses INSUFFICIENT_POINTS only when even the bound cannot pay; a leader raising needs only the difference', async () => {
    const { auction } = await runningEnglish(t);
    const poor = await t.signUp('poor', 400);
    expectError(await englishBid(t, poor.token, auction.id, 500), 409, 'INSUFFICIENT_POINTS');
    const leader = await t.signUp('leader', 600);
    expect((await englishBid(t, leader.token, auction.id, 600)).status).toBe(202);
    await t.settle();
    await waitFor(async () => (await cachedLead(t, auction.id))?.leaderId === leader.id, 5_000, 'the lead');
    const me = await t.request('GET', '/members/me', { token: leader.token });
    expect(me.body).toMatchObject({ points: 0, heldPoints: 600 });
    // The gateway reads the leader's points afresh: 0 free now, the 600 held on this auction.
    t.gateway.context.tokens.forget(parseToken(leader.token)?.tokenId as string);
    // 650 needs 50 free beyond the 600 held: the bound (0 free + the hold) cannot pay it.
    expectError(await englishBid(t, leader.token, auction.id, 650), 409, 'INSUFFICIENT_POINTS');
    await t.request('POST', '/members/me/points', { token: leader.token, body: { amount: 50 } });
    const raise = await englishBid(t, leader.token, auction.id, 650);
    expect(raise.status, JSON.stringify(raise.body)).toBe(202);
    await t.settle();
    const receipt = await t.request('GET', `/receipts/${raise.body.receiptId}`, { token: leader.token });
    expect(receipt.body.status).toBe('LEADING');
    const after = await t.request('GET', '/members/me', { token: leader.token });
    expect(after.body).toMatchObject({ points: 0, heldPoints: 650 });
  });
});
