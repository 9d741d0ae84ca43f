import { auditLedger } from '@dutch/db';
import { CONSUMER_GROUP, refundMarksKey, shardOf, streamKey } from '@dutch/stream';
import { startTestConsumer, startTestGateway, type TestConsumer, type TestGateway, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestGateway;
let settler: TestConsumer;
beforeAll(async () => {
  t = await startTestGateway();
  // Settling in the background while refunds arrive, as in production.
  settler = startTestConsumer(t.db.url, t.layout, 'refund-marks');
  await settler.consumer.start();
});
afterAll(async () => {
  await settler.close();
  await t.close();
});

type Member = { id: string; token: string };
const getReceipt = async (id: string, member: Member) =>
  (await t.request('GET', `/receipts/${id}`, { token: member.token })).body;
const pointsOf = async (member: Member) => (await t.request('GET', '/members/me', { token: member.token })).body.points;

/** Nothing queued and nothing pending on the shard: every refund asked for has been decided. */
async function settled(shard: number) {
  await waitFor(
    async () => {
      const [pending] = (await t.redis.xpending(streamKey(t.layout, shard), CONSUMER_GROUP)) as [number];
      const info = (await t.redis.xinfo('GROUPS', streamKey(t.layout, shard))) as unknown[][];
      const lag = info[0]?.[info[0].indexOf('lag') + 1];
      return Number(pending) === 0 && Number(lag) === 0;
    },
    20_000,
    'the shard settled',
  );
}

describe('refunds the seller cannot pay back', () => {
  it('leave the receipt PURCHASED with no mark, however many arrive at once, and a later one succeeds', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 10_000);
    const auction = await t.createAuction(seller.token);
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 2, maxPrice: 1_000 },
    });
    expect(bid.status).toBe(202);
    const receiptId = bid.body.receiptId as string;
    const shard = shardOf(auction.id, t.layout.shards);
    await waitFor(async () => (await getReceipt(receiptId, buyer)).status === 'PURCHASED', 10_000, 'purchase');
    expect(await pointsOf(seller)).toBe(2_000);

    // The seller spends the proceeds in another auction that is still running.
    const other = await t.signUp('other seller');
    const start = t.now() + 1_000;
    const longer = await t.createAuction(other.token, {
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + 3_600_000).toISOString(),
      startPrice: 1_500,
      dropIntervalSeconds: 3600,
    });
    t.travel(Date.parse(auction.endsAt) - t.now());
    const spend = await t.request('POST', `/auctions/${longer.id}/bids`, {
      token: seller.token,
      body: { quantity: 1, maxPrice: 1_500 },
    });
    expect(spend.status).toBe(202);
    await waitFor(async () => (await pointsOf(seller)) === 500, 10_000, 'the seller spent');

    // A gateway's receipt write that reaches Postgres late (a slow link, a busy pool) lands after
    // the consumer decided: the timing the race needs, made certain. The engine must not care.
    await t.db.sql.unsafe(`
      create function test_slow_gateway() returns trigger language plpgsql as $$
      begin
        if current_setting('application_name') = 'test gateway' then perform pg_sleep(0.3); end if;
        return null;
      end $$;
      create trigger test_slow_gateway before update on receipts
        for each statement execute function test_slow_gateway()`);
    for (let round = 0; round < 3; round++) {
      const replies = await Promise.all(
        Array.from({ length: 15 }, () => t.request('POST', `/receipts/${receiptId}/refund`, { token: buyer.token })),
      );
      for (const reply of replies) {
        if (reply.status === 202) expect(reply.body).toEqual({ receiptId, status: 'REFUND_PENDING' });
        else expect([reply.status, reply.body.error.code]).toEqual([409, 'NOT_REFUNDABLE']);
      }
      expect(replies.some((reply) => reply.status === 202)).toBe(true);
      await settled(shard);
      expect(await getReceipt(receiptId, buyer)).toMatchObject({
        status: 'PURCHASED',
        failureReason: 'SELLER_INSUFFICIENT_POINTS',
      });
      expect(await t.redis.hexists(refundMarksKey(t.layout, shard), receiptId)).toBe(0);
    }
    const [row] = await t.db.sql`select status from receipts where id = ${receiptId}`;
    expect(row?.status).toBe('PURCHASED');

    // Once the seller has points again, a refund goes through.
    await t.request('POST', '/members/me/points', { token: seller.token, body: { amount: 1_500 } });
    const again = await t.request('POST', `/receipts/${receiptId}/refund`, { token: buyer.token });
    expect(again.status).toBe(202);
    await waitFor(async () => (await getReceipt(receiptId, buyer)).status === 'REFUNDED', 10_000, 'refunded');
    expect(await pointsOf(seller)).toBe(0);
    expect(await pointsOf(buyer)).toBe(10_000);
    const moves = await t.db.sql`
      select kind, from_member as "from", to_member as "to", amount::int as amount
      from points_ledger where receipt_id = ${receiptId} order by kind`;
    expect(moves).toEqual([
      { kind: 'purchase', from: buyer.id, to: seller.id, amount: 2_000 },
      { kind: 'refund', from: seller.id, to: buyer.id, amount: 2_000 },
    ]);
    expect(await t.redis.hexists(refundMarksKey(t.layout, shard), receiptId)).toBe(0);
    expect(await auditLedger(t.db.sql)).toEqual([]);
  });
});
