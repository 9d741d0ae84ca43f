import { type PriceSchedule, priceViewAt, statusAt } from '@dutch/domain';
import { describe, expect, it } from 'vitest';
import { describeNextChange, describeStock, nextChangeAt } from './auction-words.ts';

const schedule: PriceSchedule = {
  startPrice: 100,
  floorPrice: null,
  priceDrop: { kind: 'constant', amount: 10 },
  dropIntervalSeconds: 1,
  startsAt: 10_000,
  endsAt: 13_000,
};
const momentAt = (now: number, stock = 1) => ({
  status: statusAt(schedule, now, stock),
  ...priceViewAt(schedule, now),
});

describe('describeNextChange', () => {
  it('counts down to the start, each drop, the end', () => {
    expect(describeNextChange(schedule, momentAt(7_500), 7_500)).toBe('Starts in 0:03 at 100 points');
    expect(describeNextChange(schedule, momentAt(10_200), 10_200)).toBe('Drops to 90 in 0:01');
    expect(describeNextChange(schedule, momentAt(12_000), 12_000)).toBe('Final price: ends in 0:01');
    expect(describeNextChange(schedule, momentAt(12_000, 0), 12_000)).toBe('Sold out: ends in 0:01');
    expect(describeNextChange(schedule, momentAt(13_000), 13_000)).toBe('Ended at 80 points');
  });

  it('aims the ticks at the instant the countdown reaches zero', () => {
    expect(nextChangeAt(schedule, momentAt(7_500))).toBe(10_000);
    expect(nextChangeAt(schedule, momentAt(10_200))).toBe(11_000);
    expect(nextChangeAt(schedule, momentAt(12_000))).toBe(13_000);
    expect(nextChangeAt(schedule, momentAt(13_000))).toBeNull();
  });
});

describe('describeStock', () => {
  it('says how many are left, of how many when known', () => {
    expect(describeStock(3, 5)).toBe('3 of 5 left');
    expect(describeStock(3, undefined)).toBe('3 left');
    expect(describeStock(0, 5)).toBe('None left');
  });
});
