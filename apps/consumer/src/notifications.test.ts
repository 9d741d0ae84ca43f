import { auditLedger } from '@dutch/db';
import {
  bid,
  checkNotifications,
  closeEntry,
  createAuction,
  createEnglishAuction,
  createMembers,
  englishBid,
  enqueue,
  refund,
  type TestConsumer,
  waitFor,
} from '@dutch/testkit';
import { describe, expect, it } from 'vitest';
import { closeReceipts, useCloseFixture } from './close-fixtures.test-util.ts';
import {
  notificationKeys,
  notifiedMembers,
  settleAsGhost,
  storedNotifications,
  watch,
} from './notification-fixtures.test-util.ts';

const f = useCloseFixture();

const UNIFORM = { pricing: 'uniform', priceDrop: { kind: 'constant', amount: 10 }, dropIntervalSeconds: 60 } as const;

async function closedCount(ids: readonly string[]): Promise<number> {
  const [row] = await f.db.sql<{ n: number }[]>`
    select count(*)::int as n from auctions where id = any(${[...ids]}::uuid[]) and closed_at is not null`;
  return row?.n ?? 0;
}

async function storedBy(consumers: readonly TestConsumer[]): Promise<number> {
  let total = 0;
  for (const c of consumers) {
    for (const v of (await c.consumer.metrics.notificationsStored.get()).values) total += v.value;
  }
  return total;
}

/** Watched auctions: one starting, one whose price fell below one alert price, one ending soon, one not. */
async function seedWatched(now: number, seller: string, closedId: string) {
  const { sql, db } = f.db;
  const [m1, m2, m3, m4, m5] = (await createMembers(sql, [0, 0, 0, 0, 0])) as [string, string, string, string, string];
  const starting = await createAuction(db, seller, { startsAt: now - 5_000 });
  const falling = await createAuction(db, seller, { ...UNIFORM, startPrice: 100, startsAt: now - 120_000 });
  const ending = await createEnglishAuction(db, seller, { startsAt: now - 60_000, endsAt: now + 30_000 });
  const later = await createEnglishAuction(db, seller, { startsAt: now - 60_000, endsAt: now + 600_000 });
  await watch(sql, [m1], starting.id, null, now - 10_000);
  await watch(sql, [m2], falling.id, 85, now); // the price is 80 now
  await watch(sql, [m3], falling.id, 50, now);
  await watch(sql, [m4], ending.id, null, now);
  await watch(sql, [m5], later.id, null, now);
  await watch(sql, [m5], closedId, 95, now - 400_000); // closed: no alert
  const expected = [
    `${m1} auction_starting:${starting.id}`,
    `${m2} price_alert:${falling.id}`,
    `${m4} ending_soon:${ending.id}`,
  ];
  return { ids: [starting.id, falling.id, ending.id, later.id], expected };
}

/**
 * One of every kind of notification: receipts PURCHASED / FAILED / OUTBID / WON / RESERVE_NOT_MET /
 * REFUNDED / refund failed, a rebate, sold per close, and the three watch alerts. Returns the
 * member/dedupe-key pairs it must end with, and what to wait for between its phases.
 */
async function seedEveryKind(now: number) {
  const { sql, db } = f.db;
  const [sellerR, seller, a, b, c, d1, d2, ea, eb, ec] = (await createMembers(
    sql,
    [0, 0, 1_000, 1_000, 10, 1_000, 1_000, 1_000, 1_000, 1_000],
  )) as [string, string, string, string, string, string, string, string, string, string];
  // Ended auctions: closed by the closers as soon as the consumers start.
  const r = await createAuction(db, sellerR, { startsAt: now - 120_000, endsAt: now - 60_000 });
  const ended = { startsAt: now - 310_000, endsAt: now - 10_000 };
  const u = await createAuction(db, seller, { ...UNIFORM, ...ended, startPrice: 100 });
  const e1 = await createEnglishAuction(db, seller, ended);
  const e2 = await createEnglishAuction(db, seller, { ...ended, reservePrice: 600 });
  // Running: where sellerR spends; and the watched auctions.
  const x = await createAuction(db, seller, { startPrice: 150, startsAt: now - 60_000 });
  const watched = await seedWatched(now, seller, u.id);

  const bids = {
    rA: bid(r, a, 1),
    rB: bid(r, b, 2),
    rC: bid(r, c, 1),
    u1: bid(u, d1, 2, u.terms.startsAt + 1_000),
    u2: bid(u, d2, 1, u.terms.startsAt + 61_000),
    ea: englishBid(e1, ea, 100, e1.terms.startsAt + 1_000),
    eb: englishBid(e1, eb, 150, e1.terms.startsAt + 2_000),
    ec: englishBid(e2, ec, 200, e2.terms.startsAt + 1_000),
  };
  const spend = bid(x, sellerR, 1);
  // The seller of r keeps 150 of 300: rB's refund (200) fails, rA's (100) goes through.
  const refunds = [refund(r, bids.rB.receiptId, b), refund(r, bids.rA.receiptId, a)] as const;
  const key = (member: string, k: string) => `${member} ${k}`;
  const receipt = (m: { receiptId: string; buyerId: string }, status: string) =>
    key(m.buyerId, `receipt:${m.receiptId}:${status}`);
  const expected = [
    ...[receipt(bids.rA, 'PURCHASED'), receipt(bids.rA, 'REFUNDED'), receipt(bids.rB, 'PURCHASED')],
    key(b, `receipt:${bids.rB.receiptId}:REFUND_FAILED:${refunds[0].requestId}`),
    ...[receipt(bids.rC, 'FAILED'), receipt(spend, 'PURCHASED'), key(sellerR, `sold:${r.id}`)],
    ...[receipt(bids.u1, 'PURCHASED'), receipt(bids.u2, 'PURCHASED'), key(d1, `rebate:${bids.u1.receiptId}`)],
    ...[receipt(bids.ea, 'OUTBID'), receipt(bids.eb, 'WON'), receipt(bids.ec, 'RESERVE_NOT_MET')],
    ...[key(seller, `sold:${u.id}`), key(seller, `sold:${e1.id}`), key(seller, `sold:${e2.id}`)],
    ...watched.expected,
  ].sort();
  return {
    r,
    ids: [r.id, u.id, e1.id, e2.id],
    all: [...[r, u, e1, e2, x].map((y) => y.id), ...watched.ids],
    bids,
    spend,
    refunds,
    expected,
  };
}

describe('notifications, each exactly once', () => {
  it('every kind, with two consumers settling, closing and scheduling at once', async () => {
    const m = await seedEveryKind(f.now);
    await enqueue(f.redis, f.layout, Object.values(m.bids));
    const consumers = [f.consumer('c1'), f.consumer('c2')];
    await Promise.all(consumers.map((c) => c.consumer.start()));
    await waitFor(async () => (await closedCount(m.ids)) === m.ids.length, 15_000, 'the ended auctions closed');
    await enqueue(f.redis, f.layout, [m.spend]);
    await waitFor(async () => (await closeReceipts(f.db.sql, m.spend.auctionId)).length === 1, 10_000, 'the spend');
    await enqueue(f.redis, f.layout, m.refunds);
    await waitFor(
      async () => (await closeReceipts(f.db.sql, m.r.id)).filter((x) => x.status === 'REFUNDED').length === 1,
      10_000,
      'the refund',
    );

    await waitFor(async () => (await notificationKeys(f.db.sql)).length >= m.expected.length, 10_000, 'all stored');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // four more looks of each scheduler
    expect(await notificationKeys(f.db.sql)).toEqual(m.expected);
    expect(await checkNotifications(f.db.sql, m.all)).toEqual([]);
    // Each notification was stored by exactly one of the two consumers.
    expect(await storedBy(consumers)).toBe(m.expected.length);

    const stored = await storedNotifications(f.db.sql);
    const dataOf = (dedupeKey: string) => stored.find((n) => n.dedupeKey === dedupeKey)?.data;
    expect(dataOf(`sold:${m.r.id}`)).toMatchObject({ unitsSold: 3, pointsEarned: 300 });
    expect(dataOf(`rebate:${m.bids.u1.receiptId}`)).toMatchObject({ rebate: 20, finalUnitPrice: 90 });
    expect(dataOf(`receipt:${m.bids.rC.receiptId}:FAILED`)).toMatchObject({ failureReason: 'INSUFFICIENT_POINTS' });
    expect(stored.find((n) => n.kind === 'price_alert')?.data).toMatchObject({ price: 80, alertPrice: 85 });

    // Every member who got one was nudged; nobody else was.
    const members = new Set(m.expected.map((k) => k.split(' ')[0]));
    await waitFor(async () => new Set(notifiedMembers(f.events)).size === members.size, 5_000, 'notify events');
    expect(new Set(notifiedMembers(f.events))).toEqual(members);
    expect(await auditLedger(f.db.sql)).toEqual([]);
  });

  it('a consumer that committed but never acknowledged: the redelivered bids, close and refund store nothing twice', async () => {
    const now = f.now;
    const [seller, a, b] = (await createMembers(f.db.sql, [0, 1_000, 1_000])) as [string, string, string];
    const dutch = await createAuction(f.db.db, seller, {
      startsAt: now - 120_000,
      endsAt: now + 60_000,
      stock: 2,
      perBuyerLimit: 2,
    });
    const english = await createEnglishAuction(f.db.db, seller, { startsAt: now - 120_000, endsAt: now + 60_000 });
    const bids = [bid(dutch, a, 1), bid(dutch, b, 2), englishBid(english, a, 100), englishBid(english, b, 120)];
    const ids = [dutch.id, english.id];
    const heir = f.consumer('heir');
    const eventsBefore = () => notifiedMembers(f.events).length;

    const phases: [string, () => Promise<void>][] = [
      ['bids', () => enqueue(f.redis, f.layout, bids).then(() => settleAsGhost(f, ids, now))],
      [
        'closes',
        async () => {
          f.now = now + 70_000;
          await enqueue(f.redis, f.layout, [
            closeEntry(dutch.id, dutch.terms.endsAt),
            closeEntry(english.id, english.terms.endsAt),
          ]);
          await settleAsGhost(f, ids, f.now);
        },
      ],
      [
        'refund',
        () =>
          enqueue(f.redis, f.layout, [refund(dutch, bids[0]?.receiptId as string, a, f.now)]).then(() =>
            settleAsGhost(f, ids, f.now),
          ),
      ],
    ];
    const counts: number[] = [];
    for (const [phase, ghost] of phases) {
      await ghost();
      const committed = await notificationKeys(f.db.sql);
      const nudged = eventsBefore();
      await heir.consumer.consumeOnce();
      expect(await notificationKeys(f.db.sql), phase).toEqual(committed);
      expect(eventsBefore(), `${phase}: no nudge for nothing new`).toBe(nudged);
      counts.push(committed.length);
    }
    // bids: PURCHASED, FAILED (sold out), OUTBID; closes: WON and two sold; refund: REFUNDED.
    expect(counts).toEqual([3, 6, 7]);
    expect(await checkNotifications(f.db.sql, ids)).toEqual([]);
    expect((await heir.consumer.metrics.duplicates.get()).values[0]?.value).toBe(bids.length + 3);
    expect(await auditLedger(f.db.sql)).toEqual([]);
  });
});
