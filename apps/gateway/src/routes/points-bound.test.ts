import { idempotencyClaimKey, shardOf, streamKey } from '@dutch/stream';
import { type PeerGateway, startPeerGateway, startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseToken } from '../auth/tokens.ts';

let t: TestGateway;
/** A second gateway instance on the same Redis, Postgres and key prefix (another process, in effect). */
let other: PeerGateway;

beforeAll(async () => {
  t = await startTestGateway();
  other = await startPeerGateway(t);
});
afterAll(async () => {
  await other.close();
  await t.close();
});

async function runningAuction(startPrice = 1000) {
  const seller = await t.signUp('seller');
  const auction = await t.createAuction(seller.token, {
    startPrice,
    priceDrop: { kind: 'constant', amount: 1 },
    floorPrice: 1,
    stock: 1000,
    perBuyerLimit: 1000,
  });
  t.travel(Date.parse(auction.startsAt) - t.now() + 1);
  return { seller, auction };
}

const placeBid = (token: string, auctionId: string, quantity = 1, headers: Record<string, string> = {}) =>
  t.request('POST', `/auctions/${auctionId}/bids`, { token, body: { quantity, maxPrice: 1_000_000 }, headers });

const chargeOnOther = async (token: string, amount: number) => {
  const response = await other.gateway.app.request('/members/me/points', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount }),
  });
  expect(response.status).toBe(200);
};

describe('a bid its buyer certainly cannot pay', () => {
  it('is refused 409 INSUFFICIENT_POINTS at the gateway: no stream entry, no idempotency record', async () => {
    const { auction } = await runningAuction();
    const broke = await t.signUp('broke');
    const stream = streamKey(t.layout, shardOf(auction.id, t.layout.shards));
    const before = await t.redis.xlen(stream);
    const reply = await placeBid(broke.token, auction.id, 1, { 'idempotency-key': 'k-1' });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toEqual({ code: 'INSUFFICIENT_POINTS', message: expect.stringMatching(/points/) });
    expect(await t.redis.xlen(stream)).toBe(before);
    expect(await t.redis.exists(idempotencyClaimKey(t.layout, broke.id, 'k-1'))).toBe(0);
  });

  it('is accepted at once after a charge made through ANOTHER gateway', async () => {
    const { auction } = await runningAuction();
    const buyer = await t.signUp('buyer');
    expect((await placeBid(buyer.token, auction.id)).status).toBe(409);
    await chargeOnOther(buyer.token, 1000);
    const reply = await placeBid(buyer.token, auction.id);
    expect(reply.status).toBe(202);
  });

  it('confirms a refusal against Postgres: a charge whose credit has not reached this gateway yet still pays', async () => {
    const { auction } = await runningAuction();
    const buyer = await t.signUp('credit-in-flight');
    // The gateway now knows a bound of 0 for the buyer.
    expect((await placeBid(buyer.token, auction.id)).status).toBe(409);
    // Another gateway's charge, committed, its credit event not delivered here yet (none is published).
    await t.db.sql`update members set points = points + 5000 where id = ${buyer.id}`;
    await t.db.sql`insert into points_ledger (kind, to_member, amount) values ('charge', ${buyer.id}, 5000)`;
    const reply = await placeBid(buyer.token, auction.id);
    expect(reply.status).toBe(202);
    // And a bid Postgres agrees the buyer cannot pay is still refused at once.
    const broke = await t.signUp('still-broke');
    expect((await placeBid(broke.token, auction.id)).status).toBe(409);
    expect((await placeBid(broke.token, auction.id)).body.error.code).toBe('INSUFFICIENT_POINTS');
  });

  it("answers while a settlement holds the buyer's row: neither the token's read nor the refusal's waits for it", async () => {
    const { auction } = await runningAuction();
    const broke = await t.signUp('locked-out');
    t.gateway.context.tokens.forget(parseToken(broke.token)?.tokenId as string);
    // As settlement locks a member's row (lockMembers) for its whole transaction.
    const reply = await t.db.sql.begin(async (tx) => {
      await tx`select id from members where id = ${broke.id} for update`;
      return placeBid(broke.token, auction.id);
    });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('INSUFFICIENT_POINTS');
  });

  it('lets a seller credited by a sale bid at once', async () => {
    const { auction: elsewhere } = await runningAuction();
    // The seller has 0 points when the gateway first sees them, so it knows they cannot pay.
    const seller = await t.signUp('sells-first');
    const sold = await t.createAuction(seller.token, {
      startPrice: 1000,
      priceDrop: { kind: 'constant', amount: 1 },
      floorPrice: 1,
      stock: 5,
      perBuyerLimit: 5,
      startsIn: 1_000,
    });
    const buyer = await t.signUp('buys-from-them', 5_000);
    t.travel(Date.parse(sold.startsAt) - t.now() + 1);
    expect((await placeBid(seller.token, elsewhere.id)).status).toBe(409);

    expect((await placeBid(buyer.token, sold.id, 2)).status).toBe(202);
    // The real consumer settles the sale and publishes the seller's credit before it commits.
    expect(await t.settle()).toBeGreaterThan(0);
    expect((await t.request('GET', '/members/me', { token: seller.token })).body.points).toBeGreaterThan(0);

    expect((await placeBid(seller.token, elsewhere.id)).status).toBe(202);
  });

  it('never refuses a payable bid while charges on another gateway race token reloads and bids', async () => {
    const price = 50;
    const { auction } = await runningAuction(price);
    const buyer = await t.signUp('racer');
    const tokenId = parseToken(buyer.token)?.tokenId as string;
    let committed = 0;
    const refusedWhilePayable: number[] = [];
    let refusedWhileShort = 0;
    for (let round = 0; round < 60; round++) {
      const amount = 1 + (round % 3);
      // Forget the token so this round's bid reloads the bound concurrently with the charge.
      t.gateway.context.tokens.forget(tokenId);
      const [, racing] = await Promise.all([chargeOnOther(buyer.token, amount), placeBid(buyer.token, auction.id)]);
      if (racing.status === 409 && racing.body.error.code === 'INSUFFICIENT_POINTS' && committed >= price)
        refusedWhilePayable.push(round);
      committed += amount;
      // The charge has committed: a bid it pays for must go through, on the gateway that did not charge.
      const after = await placeBid(buyer.token, auction.id);
      if (after.status === 409 && after.body.error.code === 'INSUFFICIENT_POINTS') {
        if (committed >= price) refusedWhilePayable.push(round);
        else refusedWhileShort++;
      } else {
        expect(after.status).toBe(202);
      }
    }
    expect(refusedWhilePayable).toEqual([]);
    expect(refusedWhileShort).toBeGreaterThan(0);
  }, 60_000);
});
