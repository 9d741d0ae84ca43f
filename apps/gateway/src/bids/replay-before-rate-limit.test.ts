import { startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseToken } from '../auth/tokens.ts';

// One token a second and a burst of 2: the bucket runs dry after two fresh bids. The clock is
// frozen, so a slow machine refills nothing between two requests.
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ BID_RATE_PER_SECOND: '1', BID_RATE_BURST: '2' });
  t.freeze();
});
afterAll(async () => {
  await t.close();
});

describe('Idempotency-Key replays and the per-buyer rate limit', () => {
  it('answers a replay with the original body even when the allowance is spent, and replays cost nothing', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 100_000);
    const auction = await t.createAuction(seller.token, { stock: 100, perBuyerLimit: 10 });
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const bid = (key?: string) =>
      t.request('POST', `/auctions/${auction.id}/bids`, {
        token: buyer.token,
        body: { quantity: 1, maxPrice: 1000 },
        ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
      });

    const first = await bid('order-1');
    expect(first.status).toBe(202);
    // The bucket holds one token now; five replays must leave it there.
    for (let i = 0; i < 5; i++) {
      const replay = await bid('order-1');
      expect([replay.status, replay.body]).toEqual([202, first.body]);
    }
    const fresh = await bid();
    expect(fresh.status).toBe(202);

    // The bucket is empty: a fresh bid is refused, a replay is still answered as before.
    const replay = await bid('order-1');
    expect([replay.status, replay.body]).toEqual([202, first.body]);
    const refused = await bid();
    expect([refused.status, refused.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    const newKey = await bid('order-2');
    expect([newKey.status, newKey.body.error.code]).toEqual([429, 'RATE_LIMITED']);
  });

  it('answers a replay the points check would refuse, and it costs nothing either', async () => {
    const seller = await t.signUp('seller');
    const auction = await t.createAuction(seller.token, {
      startPrice: 1000,
      priceDrop: { kind: 'constant', amount: 1 },
      floorPrice: 1,
      stock: 100,
      perBuyerLimit: 10,
    });
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const buyer = await t.signUp('spends-it-all', 1000);
    const bid = (key?: string) =>
      t.request('POST', `/auctions/${auction.id}/bids`, {
        token: buyer.token,
        body: { quantity: 1, maxPrice: 1000 },
        ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
      });

    const first = await bid('spend-1');
    expect(first.status).toBe(202);
    await t.settle();
    // The gateway reads the buyer's points afresh: what is left cannot pay for another unit.
    t.gateway.context.tokens.forget(parseToken(buyer.token)?.tokenId as string);
    // One token is left after one bid; replays the points check refuses must leave it there.
    for (let i = 0; i < 3; i++) {
      const replay = await bid('spend-1');
      expect([replay.status, replay.body]).toEqual([202, first.body]);
    }
    // The token is still there for this fresh bid (which the points check refuses), and then gone.
    const short = await bid();
    expect([short.status, short.body.error?.code]).toEqual([409, 'INSUFFICIENT_POINTS']);
    const limited = await bid();
    expect([limited.status, limited.body.error?.code]).toEqual([429, 'RATE_LIMITED']);
  });
});
