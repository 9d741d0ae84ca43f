import { auditLedger } from '@dutch/db';
import { closingKey, shardOf } from '@dutch/stream';
import { bid, createAuction, createMember, createMembers, enqueue, refund, waitFor } from '@dutch/testkit';
import { describe, expect, it } from 'vitest';
import {
  auctionRow,
  balancesOf,
  closeReceipts,
  eventsOf,
  ledgerOf,
  useCloseFixture,
} from './close-fixtures.test-util.ts';

const f = useCloseFixture();

const statusOf = (r: { status: string; failureReason: string | null }) => r.failureReason ?? r.status;
const movesOf = (rows: [string, string, string, number, string][]) => rows.map(([kind, , , amount]) => [kind, amount]);

describe('closing Dutch auctions', () => {
  it('uniform: holds the takings, refunds before the close release them, the close rebates down to the clearing price', async () => {
    const seller = await createMember(f.db.sql);
    const [b1, b2, b3] = (await createMembers(f.db.sql, [1_000, 1_000, 1_000])) as [string, string, string];
    const startsAt = f.now - 300_000;
    const endsAt = f.now + 60_000;
    const auction = await createAuction(f.db.db, seller, {
      ...{ pricing: 'uniform', startPrice: 100, priceDrop: { kind: 'constant', amount: 10 }, dropIntervalSeconds: 60 },
      ...{ startsAt, endsAt, stock: 10, perBuyerLimit: 5 },
    });
    const bids = [
      bid(auction, b1, 2, startsAt + 1_000), // 2 x 100
      bid(auction, b2, 1, startsAt + 61_000), // 90
      bid(auction, b3, 1, startsAt + 121_000), // 80
    ];
    const [r1, r2, r3] = bids.map((b) => b.receiptId) as [string, string, string];
    await enqueue(f.redis, f.layout, bids);
    const c = f.consumer();
    await c.consumer.consumeOnce();
    // The seller's takings are held until the close: none of it can be spent before the rebates.
    expect((await balancesOf(f.db.sql, [seller])).get(seller)).toEqual([0, 370]);
    expect(movesOf(await ledgerOf(f.db.sql, [r1]))).toEqual([
      ['purchase', 200],
      ['hold', 200],
    ]);

    // After the end, before the grace is over: b3's refund releases the seller's hold on it first.
    f.now = endsAt + 500;
    await enqueue(f.redis, f.layout, [refund(auction, r3, b3, endsAt + 100)]);
    await c.consumer.consumeOnce();
    expect((await auctionRow(f.db.sql, auction.id)).closedAt).toBeNull();
    expect(movesOf(await ledgerOf(f.db.sql, [r3]))).toEqual([
      ['purchase', 80],
      ['hold', 80],
      ['release', 80],
      ['refund', 80],
    ]);

    f.now = endsAt + 2_001;
    await c.consumer.consumeOnce();
    // The clearing price is the lowest of the PURCHASED receipts left: 90 (b3's 80 was refunded).
    expect(await auctionRow(f.db.sql, auction.id)).toMatchObject({ closedAt: endsAt + 2_001, clearingPrice: 90 });
    const receipts = await closeReceipts(f.db.sql, auction.id);
    expect(receipts.map((r) => [statusOf(r), r.finalUnitPrice, r.rebate])).toEqual([
      ['PURCHASED', 90, 20],
      ['PURCHASED', 90, 0],
      ['REFUNDED', null, 0],
    ]);
    expect(movesOf(await ledgerOf(f.db.sql, [r1, r2]))).toEqual([
      ['purchase', 200],
      ['hold', 200],
      ['purchase', 90],
      ['hold', 90],
      ['release', 200],
      ['rebate', 20],
      ['release', 90],
    ]);
    expect(await balancesOf(f.db.sql, [seller, b1, b2, b3])).toEqual(
      new Map([
        [seller, [270, 0]],
        [b1, [820, 0]],
        [b2, [910, 0]],
        [b3, [1_000, 0]],
      ]),
    );
    await waitFor(async () => eventsOf(f.events, 'closed', auction.id).length === 1, 5_000, 'the closed event');
    expect(eventsOf(f.events, 'closed', auction.id)[0]).toMatchObject({ status: 'ended', clearingPrice: 90 });
    // Credits of the close: the seller's released takings net of the rebate, and b1's rebate.
    const credits = f.events.filter((e) => e.type === 'credit');
    expect(credits).toEqual(
      expect.arrayContaining([
        { type: 'credit', memberId: seller, amount: 270 },
        { type: 'credit', memberId: b1, amount: 20 },
      ]),
    );

    // After the close: a refund pays back what b1 finally paid; a straggling bid cannot buy.
    const straggler = bid(auction, b2, 1, endsAt - 1_000);
    await enqueue(f.redis, f.layout, [refund(auction, r1, b1, endsAt + 3_000), straggler]);
    await c.consumer.consumeOnce();
    expect(movesOf(await ledgerOf(f.db.sql, [r1])).at(-1)).toEqual(['refund', 180]);
    expect((await closeReceipts(f.db.sql, auction.id)).map(statusOf).slice(-1)).toEqual(['AUCTION_NOT_RUNNING']);
    expect(await balancesOf(f.db.sql, [seller, b1])).toEqual(
      new Map([
        [seller, [90, 0]],
        [b1, [1_000, 0]],
      ]),
    );
    expect(await auditLedger(f.db.sql)).toEqual([]);
  });

  it('a sell-out closes at once (sold_out), without refusing bids at the gateway; bids after it fail SOLD_OUT', async () => {
    const seller = await createMember(f.db.sql);
    const buyers = (await createMembers(f.db.sql, [1_000, 1_000, 1_000])) as [string, string, string];
    const endsAt = f.now + 600_000;
    const auction = await createAuction(f.db.db, seller, { endsAt, stock: 2, perBuyerLimit: 1, startPrice: 100 });
    await enqueue(
      f.redis,
      f.layout,
      buyers.slice(0, 2).map((b) => bid(auction, b, 1)),
    );
    const c = f.consumer();
    await c.consumer.consumeOnce();

    expect(await auctionRow(f.db.sql, auction.id)).toMatchObject({ stock: 0, closedAt: f.now, clearingPrice: null });
    await waitFor(async () => eventsOf(f.events, 'closed', auction.id).length === 1, 5_000, 'the closed event');
    expect(eventsOf(f.events, 'closed', auction.id)[0]).toMatchObject({ status: 'sold_out', closedAt: f.now });
    // Recorded as guarding no bid (0): the gateway still queues them, settlement says SOLD_OUT.
    const key = closingKey(f.layout, shardOf(auction.id, f.layout.shards), auction.id);
    expect(await f.redis.get(key)).toBe(`0:${f.now}`);

    await enqueue(f.redis, f.layout, [bid(auction, buyers[2], 1)]);
    await c.consumer.consumeOnce();
    expect((await closeReceipts(f.db.sql, auction.id)).map(statusOf)).toEqual(['PURCHASED', 'PURCHASED', 'SOLD_OUT']);
    expect(eventsOf(f.events, 'closed', auction.id)).toHaveLength(1);
    expect(await auditLedger(f.db.sql)).toEqual([]);
  });
});
