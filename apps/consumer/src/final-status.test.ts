import { auditLedger } from '@dutch/db';
import { CONSUMER_GROUP, deadLetterKey, pendingReceiptsKey, shardOf, streamKey } from '@dutch/stream';
import {
  checkNotifications,
  sleep,
  startTestConsumer,
  startTestGateway,
  type TestConsumer,
  type TestGateway,
  waitFor,
} from '@dutch/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * Every receipt a 202 returned reaches a final status, and within an auction settlement order
 * is stream order, even for an entry that fails on its own merits.
 */
const CLAIM_IDLE_MS = 100;
let t: TestGateway;
let settler: TestConsumer | null = null;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});
afterEach(async () => {
  await settler?.close();
  settler = null;
});

/** A consumer of our own (the gateway's stays idle), quick to give up: 3 tries, 100 ms claims. */
function consumer() {
  settler = startTestConsumer(t.db.url, t.layout, 'final-status', {
    MAX_DELIVERIES: '3',
    CLAIM_IDLE_MS: String(CLAIM_IDLE_MS),
  });
  return settler.consumer;
}

async function openAuction(buyers: number) {
  const seller = await t.signUp('seller');
  const members = await Promise.all(Array.from({ length: buyers }, (_, i) => t.signUp(`buyer ${i}`, 100_000)));
  // Started in real time, not by moving the gateway's clock: the consumer judges receipts' age by its own.
  const auction = await t.createAuction(seller.token, { stock: 20, perBuyerLimit: 5, startsIn: 300 });
  await sleep(Date.parse(auction.startsAt) - t.now() + 1);
  return { seller, members, auction, shard: shardOf(auction.id, t.layout.shards) };
}

async function bid(auctionId: string, buyer: { token: string }): Promise<string> {
  const reply = await t.request('POST', `/auctions/${auctionId}/bids`, {
    token: buyer.token,
    body: { quantity: 1, maxPrice: 1_000_000 },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  return reply.body.receiptId;
}

const receipt = async (id: string, token: string) => (await t.request('GET', `/receipts/${id}`, { token })).body;

/** Drains until `id` is final in Postgres (or the time runs out): the old code got there late, if at all. */
async function settleUntilFinal(consume: () => Promise<number>, id: string, timeoutMs = 8_000) {
  await waitFor(
    async () => {
      await consume();
      const [row] = await t.db.sql`select 1 from receipts where id = ${id}`;
      return row !== undefined;
    },
    timeoutMs,
    `receipt ${id} in Postgres`,
  ).catch(() => {});
}

describe('an entry that settlement rejects', () => {
  it('is retried and dead-lettered in place: the bids behind it settle after it', async () => {
    const { members, auction, shard } = await openAuction(5);
    type Member = (typeof members)[0];
    const [a, b, poisoned, c, d] = members as [Member, Member, Member, Member, Member];
    // Postgres refuses a PURCHASED receipt for this buyer: settlement throws a check violation.
    await t.db.sql.unsafe(
      `alter table receipts add constraint test_poison check (buyer_id <> '${poisoned.id}' or status = 'FAILED')`,
    );
    try {
      const ids = [await bid(auction.id, a), await bid(auction.id, b)];
      const poison = await bid(auction.id, poisoned);
      ids.push(await bid(auction.id, c), await bid(auction.id, d));
      const worker = consumer();
      await settleUntilFinal(() => worker.consumeOnce(), poison);

      const rows = await t.db.sql<{ id: string; status: string; failureReason: string | null; settleSeq: number }[]>`
        select id, status, failure_reason as "failureReason", settle_seq::int as "settleSeq"
        from receipts where auction_id = ${auction.id} order by settle_seq`;
      expect(rows.map((r) => r.id)).toEqual([ids[0], ids[1], poison, ids[2], ids[3]]);
      expect(rows.map((r) => r.settleSeq)).toEqual([1, 2, 3, 4, 5]);
      expect(rows[2]).toMatchObject({ status: 'FAILED', failureReason: 'PROCESSING_FAILED' });
      for (const row of [rows[0], rows[1], rows[3], rows[4]]) expect(row?.status).toBe('PURCHASED');
      expect(await receipt(poison, poisoned.token)).toMatchObject({
        status: 'FAILED',
        failureReason: 'PROCESSING_FAILED',
      });

      const dead = (await t.redis.xrange(deadLetterKey(t.layout, shard), '-', '+')) as [string, string[]][];
      expect(dead).toHaveLength(1);
      expect(dead[0]?.[1].slice(0, 8)).toEqual(expect.arrayContaining(['deliveries', '3']));
      const [pending] = (await t.redis.xpending(streamKey(t.layout, shard), CONSUMER_GROUP)) as [number];
      expect(Number(pending)).toBe(0);
      // Each buyer told once: the four PURCHASED, and the given-up one FAILED (its rolled-back tries told nobody).
      expect(await checkNotifications(t.db.sql, [auction.id])).toEqual([]);
      const [told] = await t.db.sql<{ n: number }[]>`
        select count(*)::int as n from notifications where member_id = ${poisoned.id} and receipt_id = ${poison}`;
      expect(told?.n).toBe(1);
    } finally {
      await t.db.sql.unsafe('alter table receipts drop constraint test_poison');
    }
    expect(await auditLedger(t.db.sql)).toEqual([]);
  });
});

describe('a receipt answered 202', () => {
  it('ends FAILED when its auction row is gone, and audit accepts that row', async () => {
    const { members, auction, shard } = await openAuction(1);
    const buyer = members[0] as (typeof members)[0];
    const id = await bid(auction.id, buyer);
    await t.db.sql`delete from auctions where id = ${auction.id}`;
    const worker = consumer();
    await settleUntilFinal(() => worker.consumeOnce(), id);

    expect(await receipt(id, buyer.token)).toMatchObject({ status: 'FAILED', failureReason: 'PROCESSING_FAILED' });
    expect(await t.redis.hexists(pendingReceiptsKey(t.layout, shard), id)).toBe(0);
    expect(await auditLedger(t.db.sql)).toEqual([]);
  });

  it('ends FAILED when Postgres refuses even the FAILED row: the pending copy becomes its record', async () => {
    const { members, auction, shard } = await openAuction(2);
    const [refused, other] = members as [(typeof members)[0], (typeof members)[0]];
    await t.db.sql.unsafe(`alter table receipts add constraint test_refused check (buyer_id <> '${refused.id}')`);
    try {
      const id = await bid(auction.id, refused);
      const after = await bid(auction.id, other);
      const worker = consumer();
      await settleUntilFinal(() => worker.consumeOnce(), after);

      expect(await receipt(id, refused.token)).toMatchObject({
        id,
        status: 'FAILED',
        failureReason: 'PROCESSING_FAILED',
        settledAt: expect.any(String),
      });
      expect(await t.redis.hexists(pendingReceiptsKey(t.layout, shard), id)).toBe(1);
      expect((await receipt(after, other.token)).status).toBe('PURCHASED');
      // The list shows it final too.
      const list = await t.request('GET', '/members/me/purchases', { token: refused.token });
      expect(list.body.items).toMatchObject([{ id, status: 'FAILED', failureReason: 'PROCESSING_FAILED' }]);
    } finally {
      await t.db.sql.unsafe('alter table receipts drop constraint test_refused');
    }
  });

  it('ends FAILED when its stream entry vanished after it was delivered', async () => {
    const { members, auction, shard } = await openAuction(2);
    const [buyer, other] = members as [(typeof members)[0], (typeof members)[0]];
    const key = streamKey(t.layout, shard);
    const worker = consumer();
    await worker.consumeOnce(); // creates the groups
    const id = await bid(auction.id, buyer);
    // A consumer that read it and died; then the entry is deleted (XDEL) while still pending.
    const read = (await t.redis.xreadgroup('GROUP', CONSUMER_GROUP, 'ghost', 'COUNT', 10, 'STREAMS', key, '>')) as [
      string,
      [string, string[]][],
    ][];
    const entryId = read[0]?.[1][0]?.[0] as string;
    expect(await t.redis.xdel(key, entryId)).toBe(1);

    const later = await bid(auction.id, other);
    await settleUntilFinal(() => worker.consumeOnce(), later);
    expect((await receipt(later, other.token)).status).toBe('PURCHASED');
    // Too young to judge at first; once old enough, the reconciler fails it.
    await sleep(5 * CLAIM_IDLE_MS);
    await settleUntilFinal(() => worker.consumeOnce(), id, 3_000);

    expect(await receipt(id, buyer.token)).toMatchObject({ status: 'FAILED', failureReason: 'PROCESSING_FAILED' });
    expect(await t.redis.hexists(pendingReceiptsKey(t.layout, shard), id)).toBe(0);
    expect(await auditLedger(t.db.sql)).toEqual([]);
  });

  it('is left alone by the reconciler while its entry waits to be read', async () => {
    const { members, auction } = await openAuction(1);
    const buyer = members[0] as (typeof members)[0];
    const worker = consumer();
    await worker.consumeOnce();
    const id = await bid(auction.id, buyer);
    await sleep(5 * CLAIM_IDLE_MS);
    await worker.consumeOnce();
    expect((await receipt(id, buyer.token)).status).toBe('PURCHASED');
  });
});
