import {
  appendClose,
  closingKey,
  encodeEvent,
  eventsChannel,
  pendingReceiptsKey,
  shardOf,
  streamKey,
} from '@dutch/stream';
import { startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedLead, englishBid, runningEnglish } from './english-fixtures.test-util.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

const shardKeys = (auctionId: string) => {
  const shard = shardOf(auctionId, t.layout.shards);
  return {
    stream: streamKey(t.layout, shard),
    closing: closingKey(t.layout, shard, auctionId),
    pending: pendingReceiptsKey(t.layout, shard),
  };
};

/** What the closer does at end + grace: the close entry goes into the stream and the closing key is set. */
async function queueClose(auctionId: string, closeFor: number) {
  const keys = shardKeys(auctionId);
  const args = { auctionId, closeFor, now: t.now(), reappendAfterMs: 60_000, ttlMs: 60_000, guardBids: true };
  expect(await appendClose(t.redis, keys, args)).toBe(true);
}

describe('a bid stamped before a close already queued for its auction', () => {
  it('is refused 409 AUCTION_NOT_RUNNING with nothing queued, English and Dutch; a replay still gets its answer', async () => {
    const { auction } = await runningEnglish(t);
    const dutch = await t.createAuction((await t.signUp('dutch seller')).token, { startsIn: 0 });
    const buyer = await t.signUp('buyer', 100_000);
    const accepted = await englishBid(t, buyer.token, auction.id, 500, 'before-close');
    expect(accepted.status).toBe(202);
    // This gateway stalled: its clock is before the end, the closer's is past it.
    await queueClose(auction.id, Date.parse(auction.endsAt));
    await queueClose(dutch.id, Date.parse(dutch.endsAt));
    const lengths = async () => Promise.all([auction.id, dutch.id].map((id) => t.redis.xlen(shardKeys(id).stream)));
    const pendingCount = async () =>
      Promise.all([auction.id, dutch.id].map((id) => t.redis.hlen(shardKeys(id).pending)));
    const [queuedBefore, pendingBefore] = [await lengths(), await pendingCount()];

    const late = await englishBid(t, buyer.token, auction.id, 550);
    expect([late.status, late.body.error?.code]).toEqual([409, 'AUCTION_NOT_RUNNING']);
    const lateDutch = await t.request('POST', `/auctions/${dutch.id}/bids`, {
      token: buyer.token,
      body: { quantity: 1, maxPrice: 1000 },
    });
    expect([lateDutch.status, lateDutch.body.error?.code]).toEqual([409, 'AUCTION_NOT_RUNNING']);
    const replay = await englishBid(t, buyer.token, auction.id, 500, 'before-close');
    expect([replay.status, replay.body]).toEqual([202, accepted.body]);
    expect(await lengths()).toEqual(queuedBefore);
    expect(await pendingCount()).toEqual(pendingBefore);
  });

  it('is queued when stamped at or after the queued close (settlement refuses it as after the end)', async () => {
    const { auction } = await runningEnglish(t, { extendSeconds: 10 });
    const buyer = await t.signUp('buyer', 100_000);
    const end = Date.parse(auction.endsAt);
    await queueClose(auction.id, end);
    // This gateway heard of a later end (an event Postgres does not back), so it admits the bid
    // without a read: the script alone decides, and the consumer re-checks against the true end.
    await waitFor(
      async () => {
        await t.redis.publish(
          eventsChannel(t.layout),
          encodeEvent({
            type: 'lead',
            auctionId: auction.id,
            highBid: 100,
            bidCount: 1,
            leaderId: buyer.id,
            endsAt: end + 10_000,
          }),
        );
        return (await cachedLead(t, auction.id))?.endsAt === end + 10_000;
      },
      5_000,
      'lead event seen',
    );
    t.travel(end - t.now());
    const after = await englishBid(t, buyer.token, auction.id, 500);
    expect(after.status, JSON.stringify(after.body)).toBe(202);
    await t.settle();
    const receipt = await t.request('GET', `/receipts/${after.body.receiptId}`, { token: buyer.token });
    expect(receipt.body).toMatchObject({ status: 'FAILED', failureReason: 'AUCTION_NOT_RUNNING' });
  });
});

describe("the cache's English lead", () => {
  it('merges lead events monotonically: never a lower high bid, never an earlier end', async () => {
    const { auction } = await runningEnglish(t, { extendSeconds: 30 });
    const buyer = await t.signUp('buyer', 100_000);
    const end = Date.parse(auction.endsAt);
    const publish = (highBid: number, bidCount: number, endsAt: number) =>
      t.redis.publish(
        eventsChannel(t.layout),
        encodeEvent({ type: 'lead', auctionId: auction.id, highBid, bidCount, leaderId: buyer.id, endsAt }),
      );
    // Published until seen: an event for an auction not in the cache (yet, or any more) is dropped.
    await waitFor(
      async () => {
        await publish(900, 3, end + 20_000);
        return (await cachedLead(t, auction.id))?.highBid === 900;
      },
      5_000,
      'the lead',
    );
    await publish(700, 2, end);
    // Events arrive in the order published: once this one is in, the stale one was applied before it.
    await publish(900, 4, end + 20_000);
    await waitFor(async () => (await cachedLead(t, auction.id))?.bidCount === 4, 5_000, 'the marker');
    expect(await cachedLead(t, auction.id)).toEqual({
      highBid: 900,
      bidCount: 4,
      leaderId: buyer.id,
      endsAt: end + 20_000,
    });
    const low = await englishBid(t, buyer.token, auction.id, 920);
    expect([low.status, low.body.error?.code]).toEqual([409, 'BID_TOO_LOW']);
    expect(low.body.error.message).toContain('950');
  });
});
