import type { PriceSchedule } from '@dutch/domain';
import { describe, expect, it } from 'vitest';
import { summarizeSchedule } from './schedule-summary.ts';

const base: PriceSchedule = {
  startPrice: 1000,
  floorPrice: null,
  priceDrop: { kind: 'constant', amount: 50 },
  dropIntervalSeconds: 60,
  startsAt: 0,
  endsAt: 600_000,
};

describe('summarizeSchedule', () => {
  it('says where the price starts, how it falls and where it ends', () => {
    expect(summarizeSchedule(base)).toBe(
      'Starts at 1,000 points and drops 50 points every 1 min: 10 prices, down to 550 points.',
    );
  });

  it('names percentages and floors', () => {
    const schedule = { ...base, priceDrop: { kind: 'percentage', percent: 50 }, floorPrice: 100 } as const;
    expect(summarizeSchedule(schedule)).toBe(
      'Starts at 1,000 points and drops 50% every 1 min, never below 100: 10 prices, down to 100 points.',
    );
  });

  it('has a short answer for a single price', () => {
    expect(summarizeSchedule({ ...base, dropIntervalSeconds: 600 })).toBe(
      'One price, 1,000 points, for the whole auction.',
    );
  });
});
