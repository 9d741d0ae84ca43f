import { auditLedger, type Sql } from '@dutch/db';
import { CONSUMER_GROUP, decodeMessage, shardOf, streamKey } from '@dutch/stream';
import {
  bid,
  closeEntry,
  createAuction,
  createEnglishAuction,
  createMember,
  createMembers,
  englishBid,
  enqueue,
  type TestConsumer,
  waitFor,
} from '@dutch/testkit';
import { describe, expect, it } from 'vitest';
import { auctionRow, closeReceipts, eventsOf, useCloseFixture } from './close-fixtures.test-util.ts';
import { settleAuction } from './settle-auction.ts';
import { readNew } from './stream-io.ts';

const f = useCloseFixture();

/** Uniform Dutch auctions (two prices each) and English ones (a lead each), all ending at `endsAt`. */
async function seedEndingMarket(pairs: number, endsAt: number): Promise<string[]> {
  const seller = await createMember(f.db.sql);
  const [a, b] = (await createMembers(f.db.sql, [100_000, 100_000])) as [string, string];
  const startsAt = endsAt - 300_000;
  const ids: string[] = [];
  for (let i = 0; i < pairs; i++) {
    const dutch = await createAuction(f.db.db, seller, {
      ...{ pricing: 'uniform', startPrice: 100, priceDrop: { kind: 'constant', amount: 10 }, dropIntervalSeconds: 60 },
      ...{ startsAt, endsAt, stock: 10, perBuyerLimit: 5 },
    });
    const english = await createEnglishAuction(f.db.db, seller, { startsAt, endsAt, startPrice: 100 });
    await enqueue(f.redis, f.layout, [
      bid(dutch, a, 2, startsAt + 1_000),
      bid(dutch, b, 1, startsAt + 61_000),
      englishBid(english, a, 100, startsAt + 1_000),
      englishBid(english, b, 150, startsAt + 2_000),
    ]);
    ids.push(dutch.id, english.id);
  }
  return ids;
}

async function closedCount(sql: Sql, ids: readonly string[]): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from auctions where id = any(${[...ids]}::uuid[]) and closed_at is not null`;
  return row?.n ?? 0;
}

async function closesSettled(consumers: readonly TestConsumer[], outcome: string): Promise<number> {
  let total = 0;
  for (const c of consumers) {
    const values = (await c.consumer.metrics.settled.get()).values;
    total += values.find((v) => v.labels.kind === 'close' && v.labels.outcome === outcome)?.value ?? 0;
  }
  return total;
}

/** Every auction closed as its rules say: Dutch at 90 with b1's rebate, English won by b at 150. */
async function expectClosedOnce(ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const row = await auctionRow(f.db.sql, id);
    const receipts = await closeReceipts(f.db.sql, id);
    if (row.highBid === null) {
      expect(row.clearingPrice).toBe(90);
      expect(receipts.map((r) => r.rebate)).toEqual([20, 0]);
    } else {
      expect([row.finalPrice, receipts.map((r) => r.status)]).toEqual([150, ['OUTBID', 'WON']]);
    }
    expect(eventsOf(f.events, 'closed', id)).toHaveLength(1);
  }
  const [twice] = await f.db.sql<{ n: number }[]>`
    select count(*)::int as n from (select receipt_id, kind from points_ledger where receipt_id is not null
                                   group by receipt_id, kind having count(*) > 1) d`;
  expect(twice?.n).toBe(0);
  expect(await auditLedger(f.db.sql)).toEqual([]);
}

describe('every auction closes exactly once', () => {
  it('a consumer started long after the ends closes every overdue auction, without being asked', async () => {
    const endsAt = f.now - 3_600_000;
    const ids = await seedEndingMarket(3, endsAt);
    const c = f.consumer('late');
    await c.consumer.start();
    await waitFor(async () => (await closedCount(f.db.sql, ids)) === ids.length, 15_000, 'every auction closed');
    await waitFor(async () => eventsOf(f.events, 'closed', ids.at(-1) as string).length === 1, 5_000, 'events');
    await expectClosedOnce(ids);
  });

  it('two consumers and duplicate close entries: one close per auction, the rest acknowledged as duplicates', async () => {
    const endsAt = f.now - 10_000;
    const ids = await seedEndingMarket(4, endsAt);
    // Duplicates in the stream besides whatever the closers append.
    await enqueue(
      f.redis,
      f.layout,
      ids.flatMap((id) => [closeEntry(id, endsAt), closeEntry(id, endsAt)]),
    );
    const consumers = [f.consumer('c1'), f.consumer('c2')];
    await Promise.all(consumers.map((c) => c.consumer.start()));
    await waitFor(async () => (await closedCount(f.db.sql, ids)) === ids.length, 15_000, 'every auction closed');
    await waitFor(async () => (await closesSettled(consumers, 'duplicate')) >= ids.length, 10_000, 'duplicates');
    await waitFor(async () => eventsOf(f.events, 'closed', ids.at(-1) as string).length === 1, 5_000, 'events');
    expect(await closesSettled(consumers, 'closed')).toBe(ids.length);
    await expectClosedOnce(ids);
  });

  it('a close committed by a consumer that died before acknowledging it changes nothing when redelivered', async () => {
    const endsAt = f.now - 10_000;
    const [dutchId, englishId] = (await seedEndingMarket(1, endsAt)) as [string, string];
    const c = f.consumer('first');
    f.now = endsAt - 1; // settle the bids, not yet the closes
    await c.consumer.consumeOnce();
    await f.stop(c);

    for (const id of [dutchId, englishId]) {
      const key = streamKey(f.layout, shardOf(id, f.layout.shards));
      await enqueue(f.redis, f.layout, [closeEntry(id, endsAt)]);
      // A ghost reads the close and commits it, then vanishes without XACK.
      const entries = await readNew(f.redis, key, 'ghost', 100, 0);
      const delivered = entries.flatMap((e) => {
        const decoded = decodeMessage(e.fields ?? []);
        return decoded.ok ? [{ streamId: e.id, message: decoded.message }] : [];
      });
      const settled = await settleAuction(f.db.sql, id, delivered, null, endsAt + 2_000, null);
      expect(settled.closeOutcomes).toEqual(['closed']);
    }
    const before = [await closeReceipts(f.db.sql, dutchId), await closeReceipts(f.db.sql, englishId)];

    const heir = f.consumer('heir');
    f.now = endsAt + 60_000;
    await heir.consumer.consumeOnce();
    expect(await closesSettled([heir], 'duplicate')).toBe(2);
    expect(await closesSettled([heir], 'closed')).toBe(0);
    expect([await closeReceipts(f.db.sql, dutchId), await closeReceipts(f.db.sql, englishId)]).toEqual(before);
    expect((await auctionRow(f.db.sql, dutchId)).closedAt).toBe(endsAt + 2_000);
    for (const id of [dutchId, englishId]) {
      const key = streamKey(f.layout, shardOf(id, f.layout.shards));
      expect((await f.redis.xpending(key, CONSUMER_GROUP))[0]).toBe(0);
    }
    expect(await auditLedger(f.db.sql)).toEqual([]);
  });
});
