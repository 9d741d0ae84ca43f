import { describe, expect, it } from 'vitest';
import { describeNotification } from './describe-notification.ts';
import { openingLead } from './english.ts';
import { englishTerms, sec, T0, terms } from './fixtures.test-util.ts';
import { expectBuyerSafe } from './notification-checks.test-util.ts';
import { notificationsOfBids, notificationsOfEnglishBids, notificationsOfRefunds } from './notifications-of-bids.ts';
import { settleBids } from './settle-bids.ts';
import { settleEnglishBids } from './settle-english-bids.ts';
import { type RefundRequest, settleRefunds } from './settle-refunds.ts';

const LAMP = { id: 'auction-1', title: 'Lamp' };
const VASE = { id: 'auction-2', title: 'Vase' };

describe('notificationsOfBids', () => {
  // Hidden stock: 3 units, so a's 2 fit and b's 2 do not; neither message says how many were left.
  const t = terms({ initialStock: 3 });
  const at = T0 + sec(90); // step 1: 90 points
  const s = settleBids(
    t,
    {
      stock: 3,
      points: new Map([
        ['a', 500],
        ['b', 500],
      ]),
      held: new Map(),
    },
    [
      { receiptId: 'r1', buyerId: 'a', quantity: 2, unitPrice: 90, acceptedAt: at },
      { receiptId: 'r2', buyerId: 'b', quantity: 2, unitPrice: 90, acceptedAt: at + 1 },
    ],
  );
  const drafts = notificationsOfBids(LAMP, s.outcomes);

  it('tells each buyer what became of their receipt, keyed by receipt and status', () => {
    expect(drafts).toEqual([
      {
        memberId: 'a',
        kind: 'receipt',
        auctionId: 'auction-1',
        receiptId: 'r1',
        data: { title: 'Lamp', status: 'PURCHASED', quantity: 2, unitPrice: 90, total: 180 },
        dedupeKey: 'receipt:r1:PURCHASED',
      },
      {
        memberId: 'b',
        kind: 'receipt',
        auctionId: 'auction-1',
        receiptId: 'r2',
        data: {
          title: 'Lamp',
          status: 'FAILED',
          quantity: 2,
          unitPrice: 90,
          failureReason: 'SOLD_OUT',
          duplicateOf: null,
        },
        dedupeKey: 'receipt:r2:FAILED',
      },
    ]);
    expect(drafts.map((d) => describeNotification(d.kind, d.data))).toEqual([
      'You bought 2 × Lamp at 90 points.',
      'Your bid on Lamp did not go through: Not enough stock was left when your bid was settled.',
    ]);
    for (const d of drafts) expectBuyerSafe(d);
  });

  it('points a forgotten retry at the first receipt', () => {
    const outcome = {
      receiptId: 'r9',
      buyerId: 'a',
      quantity: 1,
      unitPrice: 90,
      total: 90,
      status: 'FAILED' as const,
      reason: 'DUPLICATE_REQUEST' as const,
      duplicateOf: 'r1',
    };
    const [draft] = notificationsOfBids(LAMP, [outcome]);
    expect(draft?.data).toMatchObject({ failureReason: 'DUPLICATE_REQUEST', duplicateOf: 'r1' });
    expect(draft?.dedupeKey).toBe('receipt:r9:FAILED');
  });

  it('says nothing for no outcomes', () => {
    expect(notificationsOfBids(LAMP, [])).toEqual([]);
  });
});

describe('notificationsOfEnglishBids', () => {
  const t = englishTerms({ startPrice: 100, minIncrement: 10, reservePrice: 1_000 });
  const at = T0 + sec(5);
  const bid = (receiptId: string, buyerId: string, amount: number) => ({ receiptId, buyerId, amount, acceptedAt: at });
  const points = new Map([
    ['a', 500],
    ['b', 500],
    ['c', 50],
  ]);

  it('tells an earlier run’s leader, a leader outbid in the run, and a failed bidder; the new leader hears nothing', () => {
    const before = { ...openingLead(t), highBid: 100, leaderId: 'a', leadingReceiptId: 'r0', bidCount: 1 };
    const s = settleEnglishBids(t, { lead: before, points }, [
      bid('r1', 'b', 110),
      bid('r2', 'c', 200),
      bid('r3', 'a', 130),
    ]);
    const drafts = notificationsOfEnglishBids(VASE, s);
    expect(drafts).toEqual([
      {
        memberId: 'c',
        kind: 'receipt',
        auctionId: 'auction-2',
        receiptId: 'r2',
        data: { title: 'Vase', status: 'FAILED', amount: 200, failureReason: 'INSUFFICIENT_POINTS', duplicateOf: null },
        dedupeKey: 'receipt:r2:FAILED',
      },
      {
        memberId: 'a',
        kind: 'receipt',
        auctionId: 'auction-2',
        receiptId: 'r0',
        data: { title: 'Vase', status: 'OUTBID', amount: 100, highBid: 110, byYou: false },
        dedupeKey: 'receipt:r0:OUTBID',
      },
      {
        memberId: 'b',
        kind: 'receipt',
        auctionId: 'auction-2',
        receiptId: 'r1',
        data: { title: 'Vase', status: 'OUTBID', amount: 110, highBid: 130, byYou: false },
        dedupeKey: 'receipt:r1:OUTBID',
      },
    ]);
    expect(describeNotification('receipt', drafts[1]?.data ?? {})).toBe(
      'You were outbid on Vase: 110 points leads now.',
    );
    // The reserve (1000) is nowhere in what the buyers get.
    for (const d of drafts) expectBuyerSafe(d);
  });

  it('words a leader raising their own bid as a raise, not as being outbid', () => {
    const s = settleEnglishBids(t, { lead: openingLead(t), points }, [bid('r1', 'a', 100), bid('r2', 'a', 150)]);
    const drafts = notificationsOfEnglishBids(VASE, s);
    expect(drafts.map((d) => [d.memberId, d.dedupeKey, d.data.byYou])).toEqual([['a', 'receipt:r1:OUTBID', true]]);
    expect(describeNotification('receipt', drafts[0]?.data ?? {})).toBe('You raised your bid on Vase to 150 points.');
  });

  it('says nothing to the only leader', () => {
    const s = settleEnglishBids(t, { lead: openingLead(t), points }, [bid('r1', 'a', 100)]);
    expect(notificationsOfEnglishBids(VASE, s)).toEqual([]);
  });
});

describe('notificationsOfRefunds', () => {
  const receipt = (receiptId: string, buyerId: string, quantity: number) => ({
    receiptId,
    buyerId,
    status: 'PURCHASED' as const,
    quantity,
    total: quantity * 40,
  });
  const after = T0 + sec(700);
  const requests: RefundRequest[] = [
    { receipt: receipt('r1', 'a', 2), requestedAt: after },
    { receipt: receipt('r2', 'b', 3), requestedAt: after },
    { receipt: receipt('r1', 'a', 2), requestedAt: after },
    { receipt: receipt('r3', 'c', 1), requestedAt: T0 + sec(10) },
  ];
  // The seller can pay back r1 (80) but not then r2 (120).
  const s = settleRefunds(
    { sellerId: 'seller', endsAt: T0 + sec(600), initialStock: 10 },
    { stock: 0, points: new Map([['seller', 100]]) },
    requests,
  );
  const notified = requests.map((r, i) => ({ ...r, requestId: `q${i}` }));

  it('tells the buyer of a refund made and of one the seller could not pay; ignored requests say nothing', () => {
    expect(s.outcomes.map((o) => o.result)).toEqual(['REFUNDED', 'SELLER_INSUFFICIENT_POINTS', 'IGNORED', 'IGNORED']);
    const drafts = notificationsOfRefunds(LAMP, s.outcomes, notified);
    expect(drafts).toEqual([
      {
        memberId: 'a',
        kind: 'receipt',
        auctionId: 'auction-1',
        receiptId: 'r1',
        data: { title: 'Lamp', status: 'REFUNDED', quantity: 2, total: 80 },
        dedupeKey: 'receipt:r1:REFUNDED',
      },
      {
        memberId: 'b',
        kind: 'receipt',
        auctionId: 'auction-1',
        receiptId: 'r2',
        data: { title: 'Lamp', status: 'REFUND_FAILED', quantity: 3, failureReason: 'SELLER_INSUFFICIENT_POINTS' },
        dedupeKey: 'receipt:r2:REFUND_FAILED:q1',
      },
    ]);
    for (const d of drafts) expectBuyerSafe(d);
  });

  it('refuses outcomes that are not the requests’ (a caller bug, never a silent wrong buyer)', () => {
    expect(() => notificationsOfRefunds(LAMP, s.outcomes, notified.slice(1))).toThrow(/outcomes for/);
    expect(() => notificationsOfRefunds(LAMP, s.outcomes, [...notified].reverse())).toThrow(/is for/);
  });
});
