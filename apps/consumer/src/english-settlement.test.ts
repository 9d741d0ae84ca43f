import { auditLedger } from '@dutch/db';
import { shardOf } from '@dutch/stream';
import { createEnglishAuction, createMember, createMembers, englishBid, enqueue, waitFor } from '@dutch/testkit';
import { describe, expect, it } from 'vitest';
import { appendDueClose } from './append-due-close.ts';
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

describe('English bids through the real pipeline (XADD -> consumer -> Postgres)', () => {
  it('leads, outbids with a release, lets a leader raise with only the difference free, and refuses the rest', async () => {
    const seller = await createMember(f.db.sql);
    const [a, b, poor] = (await createMembers(f.db.sql, [1_000, 1_000, 150])) as [string, string, string];
    const auction = await createEnglishAuction(f.db.db, seller, { startPrice: 100, minIncrement: 10 });
    const { startsAt, endsAt } = auction.terms;
    const c = f.consumer();

    const first = englishBid(auction, a, 100);
    await enqueue(f.redis, f.layout, [first]);
    await c.consumer.consumeOnce();
    expect(await balancesOf(f.db.sql, [a])).toEqual(new Map([[a, [900, 100]]]));

    const run = [
      englishBid(auction, b, 105), // below 110: BID_TOO_LOW
      englishBid(auction, poor, 200), // 150 points: INSUFFICIENT_POINTS
      englishBid(auction, b, 120), // leads: a's 100 released (a receipt of an earlier run)
      englishBid(auction, a, 600), // leads: b released (a receipt of this run: OUTBID)
      englishBid(auction, a, 900), // a has 400 free + 600 held by the own lead: enough
      englishBid(auction, b, 1_000, startsAt - 1), // before the start
      englishBid(auction, b, 1_000, endsAt), // at the end: too late
    ];
    await enqueue(f.redis, f.layout, run);
    await c.consumer.consumeOnce();

    const receipts = await closeReceipts(f.db.sql, auction.id);
    expect(receipts.map(statusOf)).toEqual([
      'OUTBID',
      'BID_TOO_LOW',
      'INSUFFICIENT_POINTS',
      'OUTBID',
      'OUTBID',
      'LEADING',
      'AUCTION_NOT_RUNNING',
      'AUCTION_NOT_RUNNING',
    ]);
    expect(receipts.every((r) => r.format === 'english' && r.quantity === 1 && r.unitPrice === r.total)).toBe(true);
    expect(await balancesOf(f.db.sql, [a, b, poor, seller])).toEqual(
      new Map([
        [a, [100, 900]],
        [b, [1_000, 0]],
        [poor, [150, 0]],
        [seller, [0, 0]],
      ]),
    );
    const [r1, , , r4, r5, r6] = [first, ...run].map((m) => m.receiptId) as string[];
    expect(
      await ledgerOf(
        f.db.sql,
        [first, ...run].map((m) => m.receiptId),
      ),
    ).toEqual([
      ['hold', a, a, 100, r1],
      ['release', a, a, 100, r1],
      ['hold', b, b, 120, r4],
      ['release', b, b, 120, r4],
      ['hold', a, a, 600, r5],
      ['release', a, a, 600, r5],
      ['hold', a, a, 900, r6],
    ]);
    expect(await auctionRow(f.db.sql, auction.id)).toMatchObject({
      highBid: 900,
      bidCount: 4,
      leaderId: a,
      closedAt: null,
      endsAt,
    });
    // The gateways hear the lead after each commit that moved it.
    await waitFor(async () => eventsOf(f.events, 'lead', auction.id).length === 2, 5_000, 'two lead events');
    expect(eventsOf(f.events, 'lead', auction.id).map((e) => [e.highBid, e.bidCount, e.leaderId, e.endsAt])).toEqual([
      [100, 1, a, endsAt],
      [900, 4, a, endsAt],
    ]);
    // Credits are what a member's free points gained in a transaction: here nobody's grew (b's
    // release cancels b's hold, a holds more than was released), so none were published.
    expect(f.events.filter((e) => e.type === 'credit')).toEqual([]);
    expect(await auditLedger(f.db.sql)).toEqual([]);
  });

  it('extends the end on a bid within extendSeconds of it, and takes bids until the new end', async () => {
    const seller = await createMember(f.db.sql);
    const [a, b] = (await createMembers(f.db.sql, [1_000, 1_000])) as [string, string];
    const endsAt = f.now + 60_000;
    const auction = await createEnglishAuction(f.db.db, seller, { endsAt, extendSeconds: 30 });
    const early = englishBid(auction, a, 100, endsAt - 40_000); // not within 30 s: no extension
    const late = englishBid(auction, b, 110, endsAt - 5_000); // within: the end moves to +25 s
    const afterOldEnd = englishBid(auction, a, 120, endsAt + 10_000); // on time for the new end, and extends it again
    await enqueue(f.redis, f.layout, [early, late, afterOldEnd]);
    await f.consumer().consumer.consumeOnce();

    const extended = endsAt + 40_000;
    expect((await closeReceipts(f.db.sql, auction.id)).map(statusOf)).toEqual(['OUTBID', 'OUTBID', 'LEADING']);
    expect(await auctionRow(f.db.sql, auction.id)).toMatchObject({ endsAt: extended, highBid: 120, bidCount: 3 });
    await waitFor(async () => eventsOf(f.events, 'lead', auction.id).length === 1, 5_000, 'the lead event');
    expect(eventsOf(f.events, 'lead', auction.id)[0]).toMatchObject({ highBid: 120, endsAt: extended });
    expect(await auditLedger(f.db.sql)).toEqual([]);
  });

  it('closes WON: the hold is released and paid to the seller; later bids fail AUCTION_NOT_RUNNING', async () => {
    const seller = await createMember(f.db.sql);
    const [a, b] = (await createMembers(f.db.sql, [1_000, 1_000])) as [string, string];
    const endsAt = f.now + 60_000;
    const auction = await createEnglishAuction(f.db.db, seller, { endsAt, reservePrice: 150 });
    const bids = [englishBid(auction, a, 100), englishBid(auction, b, 200)];
    await enqueue(f.redis, f.layout, bids);
    const c = f.consumer();
    await c.consumer.consumeOnce();

    f.now = endsAt + 2_001; // past the end and the grace: the closer appends the close
    await c.consumer.consumeOnce();
    const won = bids[1]?.receiptId as string;
    expect((await closeReceipts(f.db.sql, auction.id)).map(statusOf)).toEqual(['OUTBID', 'WON']);
    expect(await auctionRow(f.db.sql, auction.id)).toMatchObject({
      closedAt: endsAt + 2_001,
      winnerId: b,
      finalPrice: 200,
      highBid: 200,
    });
    expect(await balancesOf(f.db.sql, [a, b, seller])).toEqual(
      new Map([
        [a, [1_000, 0]],
        [b, [800, 0]],
        [seller, [200, 0]],
      ]),
    );
    expect((await ledgerOf(f.db.sql, [won])).map(([kind, from, to, amount]) => [kind, from, to, amount])).toEqual([
      ['hold', b, b, 200],
      ['release', b, b, 200],
      ['purchase', b, seller, 200],
    ]);
    await waitFor(async () => eventsOf(f.events, 'closed', auction.id).length === 1, 5_000, 'the closed event');
    expect(eventsOf(f.events, 'closed', auction.id)).toEqual([
      {
        type: 'closed',
        auctionId: auction.id,
        status: 'ended',
        closedAt: endsAt + 2_001,
        winnerId: b,
        finalPrice: 200,
        clearingPrice: null,
      },
    ]);
    // The seller gained 200 in the close's transaction: a credit, published before its commit.
    expect(f.events.filter((e) => e.type === 'credit')).toEqual([{ type: 'credit', memberId: seller, amount: 200 }]);

    // A bid stamped before the end that reached the stream after the close settles but cannot lead.
    const straggler = englishBid(auction, a, 500, endsAt - 1_000);
    await enqueue(f.redis, f.layout, [straggler]);
    await c.consumer.consumeOnce();
    expect((await closeReceipts(f.db.sql, auction.id)).map(statusOf)).toEqual(['OUTBID', 'WON', 'AUCTION_NOT_RUNNING']);
    expect(await balancesOf(f.db.sql, [a])).toEqual(new Map([[a, [1_000, 0]]]));
    expect(await auditLedger(f.db.sql)).toEqual([]);
  });

  it('closes RESERVE_NOT_MET (hold back, nothing sold), and an auction without bids unsold', async () => {
    const seller = await createMember(f.db.sql);
    const [a] = (await createMembers(f.db.sql, [1_000])) as [string];
    const endsAt = f.now + 60_000;
    const reserved = await createEnglishAuction(f.db.db, seller, { endsAt, reservePrice: 500 });
    const empty = await createEnglishAuction(f.db.db, seller, { endsAt });
    const bid = englishBid(reserved, a, 300);
    await enqueue(f.redis, f.layout, [bid]);
    const c = f.consumer();
    await c.consumer.consumeOnce();
    expect(await balancesOf(f.db.sql, [a])).toEqual(new Map([[a, [700, 300]]]));

    f.now = endsAt + 2_500;
    await c.consumer.consumeOnce();
    expect((await closeReceipts(f.db.sql, reserved.id)).map(statusOf)).toEqual(['RESERVE_NOT_MET']);
    expect(await auctionRow(f.db.sql, reserved.id)).toMatchObject({
      closedAt: endsAt + 2_500,
      winnerId: null,
      finalPrice: null,
      highBid: 300,
    });
    expect(await auctionRow(f.db.sql, empty.id)).toMatchObject({ closedAt: endsAt + 2_500, winnerId: null });
    expect(await balancesOf(f.db.sql, [a, seller])).toEqual(
      new Map([
        [a, [1_000, 0]],
        [seller, [0, 0]],
      ]),
    );
    expect((await ledgerOf(f.db.sql, [bid.receiptId])).map(([kind, , , amount]) => [kind, amount])).toEqual([
      ['hold', 300],
      ['release', 300],
    ]);
    await waitFor(async () => eventsOf(f.events, 'closed', empty.id).length === 1, 5_000, 'both closed events');
    expect(eventsOf(f.events, 'closed', reserved.id)).toHaveLength(1);
    expect(f.events.filter((e) => e.type === 'credit')).toEqual([{ type: 'credit', memberId: a, amount: 300 }]);
    expect(await auditLedger(f.db.sql)).toEqual([]);
  });

  it('a close appended for an end that moved is premature; the closer then closes at the new end', async () => {
    const seller = await createMember(f.db.sql);
    const [a] = (await createMembers(f.db.sql, [1_000])) as [string];
    const endsAt = f.now - 5_000;
    const auction = await createEnglishAuction(f.db.db, seller, {
      startsAt: endsAt - 60_000,
      endsAt,
      extendSeconds: 30,
    });
    // The bid came within 30 s of the end: it moves the end to endsAt - 1 s + 30 s, after the close's.
    await enqueue(f.redis, f.layout, [englishBid(auction, a, 100, endsAt - 1_000)]);
    const shard = shardOf(auction.id, f.layout.shards);
    expect(
      await appendDueClose(f.redis, f.layout, shard, { auctionId: auction.id, closeFor: endsAt, now: f.now }),
    ).toBe(true);
    const c = f.consumer();
    await c.consumer.consumeOnce();
    const movedTo = endsAt + 29_000;
    expect(await auctionRow(f.db.sql, auction.id)).toMatchObject({ closedAt: null, endsAt: movedTo });
    const closes = async () => (await c.consumer.metrics.settled.get()).values.filter((v) => v.labels.kind === 'close');
    expect((await closes()).map((v) => [v.labels.outcome, v.value])).toEqual([['premature', 1]]);

    // At the new end plus the grace the closer appends again (a later end than the one recorded).
    f.now = movedTo + 2_000;
    await c.consumer.consumeOnce();
    expect(await auctionRow(f.db.sql, auction.id)).toMatchObject({ closedAt: movedTo + 2_000, winnerId: a });
    expect((await closes()).map((v) => [v.labels.outcome, v.value])).toEqual([
      ['premature', 1],
      ['closed', 1],
    ]);
    expect(await auditLedger(f.db.sql)).toEqual([]);
  });
});
