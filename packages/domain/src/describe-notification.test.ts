import { describe, expect, it } from 'vitest';
import { describeNotification } from './describe-notification.ts';
import { describeFailure } from './errors.ts';
import { NOTIFICATION_KINDS, type NotificationData, type NotificationKind } from './notification.ts';
import { expectOnlyDataNumbers } from './notification-checks.test-util.ts';

const cases: [NotificationKind, NotificationData, string][] = [
  [
    'receipt',
    { title: 'Lamp', status: 'PURCHASED', quantity: 2, unitPrice: 40, total: 80 },
    'You bought 2 × Lamp at 40 points.',
  ],
  [
    'receipt',
    { title: 'Lamp', status: 'FAILED', quantity: 2, unitPrice: 40, failureReason: 'SOLD_OUT', duplicateOf: null },
    `Your bid on Lamp did not go through: ${describeFailure('SOLD_OUT')}`,
  ],
  [
    'receipt',
    { title: 'Vase', status: 'FAILED', amount: 110, failureReason: 'BID_TOO_LOW', duplicateOf: null },
    `Your bid on Vase did not go through: ${describeFailure('BID_TOO_LOW')}`,
  ],
  [
    'receipt',
    { title: 'Vase', status: 'OUTBID', amount: 100, highBid: 120, byYou: false },
    'You were outbid on Vase: 120 points leads now.',
  ],
  [
    'receipt',
    { title: 'Vase', status: 'OUTBID', amount: 100, highBid: 120, byYou: true },
    'You raised your bid on Vase to 120 points.',
  ],
  ['receipt', { title: 'Vase', status: 'WON', amount: 150 }, 'You won Vase for 150 points.'],
  [
    'receipt',
    { title: 'Vase', status: 'RESERVE_NOT_MET', amount: 150 },
    "Vase ended unsold: your 150 points did not meet the seller's reserve, and the points are yours again.",
  ],
  [
    'receipt',
    { title: 'Lamp', status: 'REFUNDED', quantity: 2, total: 80 },
    'Your refund for 2 × Lamp went through: 80 points are back.',
  ],
  [
    'receipt',
    { title: 'Lamp', status: 'REFUND_FAILED', quantity: 2, failureReason: 'SELLER_INSUFFICIENT_POINTS' },
    `Your refund for Lamp did not go through: ${describeFailure('SELLER_INSUFFICIENT_POINTS')}`,
  ],
  [
    'rebate',
    { title: 'Lamp', rebate: 30, quantity: 3, finalUnitPrice: 40 },
    'You got 30 points back on Lamp: everyone pays the clearing price of 40 points a unit.',
  ],
  ['auction_starting', { title: 'Lamp' }, 'Lamp has started.'],
  [
    'price_alert',
    { title: 'Lamp', price: 40, alertPrice: 45 },
    'Lamp is at 40 points now, at or below your alert price of 45 points.',
  ],
  [
    'ending_soon',
    { title: 'Vase', endsAt: 1_900_000_000_000 },
    'Vase ends in less than a minute: bid now if you want it.',
  ],
  [
    'sold',
    { title: 'Lamp', format: 'dutch', closeStatus: 'sold_out', unitsSold: 3, pointsEarned: 120 },
    'Your auction Lamp closed: 3 units sold, 120 points earned.',
  ],
  [
    'sold',
    { title: 'Lamp', format: 'dutch', closeStatus: 'ended', unitsSold: 1, pointsEarned: 1 },
    'Your auction Lamp closed: 1 unit sold, 1 point earned.',
  ],
  [
    'sold',
    { title: 'Lamp', format: 'dutch', closeStatus: 'ended', unitsSold: 0, pointsEarned: 0 },
    'Your auction Lamp closed with nothing sold.',
  ],
  [
    'sold',
    { title: 'Vase', format: 'english', closeStatus: 'ended', unitsSold: 1, pointsEarned: 150 },
    'Your auction Vase sold for 150 points.',
  ],
];

describe('describeNotification', () => {
  it.each(cases)('%s %j', (kind, data, words) => {
    expect(describeNotification(kind, data)).toBe(words);
    expectOnlyDataNumbers(words, data);
  });

  it('has words for every kind', () => {
    const described = new Set(cases.map(([kind]) => kind));
    for (const kind of NOTIFICATION_KINDS) expect(described).toContain(kind);
  });

  it.each(NOTIFICATION_KINDS)('says less rather than fail on data missing its fields (%s)', (kind) => {
    const words = describeNotification(kind, {});
    expect(words.length).toBeGreaterThan(0);
    expect(words).not.toMatch(/undefined|null|NaN/);
    expect(words[0]).toBe(words[0]?.toUpperCase());
  });

  it('words an unknown receipt status or failure reason without echoing it', () => {
    expect(describeNotification('receipt', { title: 'Lamp', status: 'SOMETHING' })).toBe(
      'Your receipt for Lamp was updated.',
    );
    expect(describeNotification('receipt', { title: 'Lamp', status: 'FAILED', failureReason: 'NOPE' })).toBe(
      'Your bid on Lamp did not go through: it could not be settled.',
    );
  });
});
