import { auditLedger } from '@dutch/db';
import { startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

/** What a Redis data loss (restart without AOF, failover to a lagging replica) does to keys: forgets them. */
async function forgetIdempotencyRecords(): Promise<number> {
  const keys = await t.redis.keys(`${t.layout.prefix}*idem*`);
  if (keys.length > 0) await t.redis.del(...keys);
  return keys.length;
}

describe('Idempotency-Key after Redis loses its records', () => {
  it('settles the retry as FAILED DUPLICATE_REQUEST pointing at the first receipt, and charges once', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 10_000);
    const auction = await t.createAuction(seller.token, { stock: 10, perBuyerLimit: 5 });
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const bid = () =>
      t.request('POST', `/auctions/${auction.id}/bids`, {
        token: buyer.token,
        body: { quantity: 2, maxPrice: 1000 },
        headers: { 'idempotency-key': 'order-7' },
      });

    const first = await bid();
    expect([first.status, first.body]).toMatchObject([202, {}]);
    await t.settle();
    const purchased = await t.request('GET', `/receipts/${first.body.receiptId}`, { token: buyer.token });
    expect(purchased.body).toMatchObject({ status: 'PURCHASED', total: 2000 });
    expect(purchased.body.duplicateOf).toBeUndefined();

    expect(await forgetIdempotencyRecords()).toBeGreaterThan(0);
    t.travel(5_000);
    const retry = await bid();
    // Redis no longer knows the key, so the gateway cannot replay: it issues a new receipt.
    expect(retry.status).toBe(202);
    expect(retry.body.receiptId).not.toBe(first.body.receiptId);
    await t.settle();

    const duplicate = await t.request('GET', `/receipts/${retry.body.receiptId}`, { token: buyer.token });
    expect(duplicate.body).toMatchObject({
      status: 'FAILED',
      failureReason: 'DUPLICATE_REQUEST',
      duplicateOf: first.body.receiptId,
    });
    const me = await t.request('GET', '/members/me', { token: buyer.token });
    expect(me.body.points).toBe(10_000 - 2000);
    const moves = await t.db.sql`
      select receipt_id as "receiptId", amount from points_ledger where kind = 'purchase' and from_member = ${buyer.id}`;
    expect(moves.map((m) => ({ ...m }))).toEqual([{ receiptId: first.body.receiptId, amount: 2000 }]);
    const [row] = await t.db.sql`select stock from auctions where id = ${auction.id}`;
    expect(row?.stock).toBe(8);
    const keys = await t.db.sql`
      select id, idempotency_key as key from receipts where buyer_id = ${buyer.id} order by accepted_at`;
    expect(keys.map((k) => ({ ...k }))).toEqual([
      { id: first.body.receiptId, key: 'order-7' },
      { id: retry.body.receiptId, key: null },
    ]);
    expect(await auditLedger(t.db.sql)).toEqual([]);
  });
});
