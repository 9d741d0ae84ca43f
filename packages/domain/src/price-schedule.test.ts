import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PriceSchedule } from './auction.ts';
import {
  dropByPercent,
  finalPrice,
  nextDropAt,
  priceAt,
  priceSteps,
  priceViewAt,
  stepAt,
  stepCount,
  stepStartsAt,
} from './price-schedule.ts';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const s = (n: number) => n * 1000;

const constant: PriceSchedule = {
  startPrice: 1000,
  floorPrice: null,
  priceDrop: { kind: 'constant', amount: 100 },
  dropIntervalSeconds: 60,
  startsAt: T0,
  endsAt: T0 + s(600),
};

const percentage: PriceSchedule = {
  startPrice: 10_000,
  floorPrice: 5_000,
  priceDrop: { kind: 'percentage', percent: 10 },
  dropIntervalSeconds: 30,
  startsAt: T0,
  endsAt: T0 + s(300),
};

describe('constant drops', () => {
  it('charges the start price before the start and at exactly startsAt', () => {
    expect(priceAt(constant, T0 - s(3600))).toBe(1000);
    expect(priceAt(constant, T0 - 1)).toBe(1000);
    expect(priceAt(constant, T0)).toBe(1000);
  });

  it('drops exactly at each boundary, not a millisecond before', () => {
    expect(priceAt(constant, T0 + s(60) - 1)).toBe(1000);
    expect(priceAt(constant, T0 + s(60))).toBe(900);
    expect(priceAt(constant, T0 + s(120))).toBe(800);
    expect(priceAt(constant, T0 + s(599))).toBe(100);
  });

  it('keeps the last step price at and after endsAt', () => {
    expect(stepCount(constant)).toBe(10);
    expect(priceAt(constant, T0 + s(600))).toBe(100);
    expect(priceAt(constant, T0 + s(6000))).toBe(100);
    expect(finalPrice(constant)).toBe(100);
  });

  it('stops at the floor when one is given', () => {
    const floored = { ...constant, floorPrice: 450 };
    expect(priceAt(floored, T0 + s(300))).toBe(500);
    expect(priceAt(floored, T0 + s(360))).toBe(450);
    expect(priceAt(floored, T0 + s(599))).toBe(450);
  });
});

describe('percentage drops', () => {
  it('floors at every step: floor(p * (100 - percent) / 100)', () => {
    // 10000 -> 9000 -> 8100 -> 7290 -> 6561 -> 5904 (5904.9 floored) -> 5313 (5313.6) -> clamp 5000
    expect(priceSteps(percentage)).toEqual([10000, 9000, 8100, 7290, 6561, 5904, 5313, 5000, 5000, 5000]);
    expect(priceAt(percentage, T0 + s(150))).toBe(5904);
  });

  it('computes each step from the floored previous one, not from a closed form', () => {
    // 99 at 33%: 99 -> 66 (66.33) -> 44 (44.22) -> 29 (29.48); a closed form gives 99 * 0.67^3 = 29.77
    const odd: PriceSchedule = {
      ...percentage,
      startPrice: 99,
      floorPrice: null,
      priceDrop: { kind: 'percentage', percent: 33 },
      dropIntervalSeconds: 1,
      endsAt: T0 + s(4),
    };
    expect(priceSteps(odd)).toEqual([99, 66, 44, 29]);
  });

  it('is exact integer arithmetic for the largest prices', () => {
    expect(dropByPercent(1_000_000_000, 1)).toBe(990_000_000);
    expect(dropByPercent(999_999_999, 50)).toBe(499_999_999);
    expect(dropByPercent(1, 1)).toBe(0);
  });

  it('matches a step-by-step walk over 3600 one-second steps', () => {
    const long: PriceSchedule = {
      startPrice: 1_000_000_000,
      floorPrice: 7,
      priceDrop: { kind: 'percentage', percent: 1 },
      dropIntervalSeconds: 1,
      startsAt: T0,
      endsAt: T0 + s(3600),
    };
    let walked = long.startPrice;
    for (let k = 0; k < 3600; k++) {
      expect(priceAt(long, T0 + s(k))).toBe(Math.max(walked, 7));
      walked = Math.floor((walked * 99) / 100);
    }
  });
});

describe('next drop', () => {
  it('step k begins k intervals after the start, and stepAt agrees at each boundary', () => {
    expect(stepStartsAt(percentage, 0)).toBe(T0);
    expect(stepStartsAt(percentage, 3)).toBe(T0 + s(90));
    for (let k = 0; k < stepCount(constant); k++) expect(stepAt(constant, stepStartsAt(constant, k))).toBe(k);
  });

  it('before the start points at the first drop', () => {
    expect(nextDropAt(constant, T0 - s(10))).toBe(T0 + s(60));
    expect(priceViewAt(constant, T0 - s(10)).nextPrice).toBe(900);
  });

  it('at a boundary points at the following one', () => {
    expect(nextDropAt(constant, T0)).toBe(T0 + s(60));
    expect(nextDropAt(constant, T0 + s(60))).toBe(T0 + s(120));
    expect(priceViewAt(constant, T0 + s(60)).nextPrice).toBe(800);
  });

  it('is null during the last step and after the end', () => {
    expect(nextDropAt(constant, T0 + s(540) - 1)).toBe(T0 + s(540));
    expect(nextDropAt(constant, T0 + s(540))).toBeNull();
    expect(priceViewAt(constant, T0 + s(540)).nextPrice).toBeNull();
    expect(nextDropAt(constant, T0 + s(600))).toBeNull();
    expect(priceViewAt(constant, T0 + s(700))).toEqual({ currentPrice: 100, nextPrice: null, nextDropAt: null });
  });

  it('is null even before the start when the auction has a single step', () => {
    const single = { ...constant, dropIntervalSeconds: 600 };
    expect(nextDropAt(single, T0 - s(5))).toBeNull();
    expect(priceAt(single, T0 + s(599))).toBe(1000);
  });
});

const scheduleArb = fc
  .record({
    startPrice: fc.integer({ min: 2, max: 1_000_000_000 }),
    floorFraction: fc.option(fc.double({ min: 0, max: 0.99, noNaN: true }), { nil: null }),
    drop: fc.oneof(
      fc.record({ kind: fc.constant('constant' as const), amount: fc.integer({ min: 1, max: 1_000_000 }) }),
      fc.record({ kind: fc.constant('percentage' as const), percent: fc.integer({ min: 1, max: 50 }) }),
    ),
    interval: fc.integer({ min: 1, max: 120 }),
    steps: fc.integer({ min: 1, max: 3600 }),
  })
  .filter((r) => r.interval * r.steps <= 3600)
  .map(({ startPrice, floorFraction, drop, interval, steps }): PriceSchedule => {
    const priceDrop =
      drop.kind === 'constant'
        ? { kind: 'constant' as const, amount: drop.amount }
        : { kind: 'percentage' as const, percent: drop.percent };
    return {
      startPrice,
      floorPrice:
        floorFraction === null ? null : Math.max(1, Math.min(startPrice - 1, Math.floor(startPrice * floorFraction))),
      priceDrop,
      dropIntervalSeconds: interval,
      startsAt: T0,
      endsAt: T0 + s(interval * steps),
    };
  });

describe('laws', () => {
  it('the price never rises as time goes on', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        fc.integer({ min: -10_000, max: 3_700_000 }),
        fc.integer({ min: 0, max: 3_700_000 }),
        (sched, a, gap) => {
          expect(priceAt(sched, T0 + a + gap)).toBeLessThanOrEqual(priceAt(sched, T0 + a));
        },
      ),
    );
  });

  it('the price never falls below the floor', () => {
    fc.assert(
      fc.property(
        scheduleArb.filter((x) => x.floorPrice !== null),
        fc.integer({ min: 0, max: 3_700_000 }),
        (sched, t) => {
          expect(priceAt(sched, T0 + t)).toBeGreaterThanOrEqual(sched.floorPrice as number);
        },
      ),
    );
  });

  it('nextPrice is the price at nextDropAt, which is the next step boundary', () => {
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: -10_000, max: 3_700_000 }), (sched, t) => {
        const now = T0 + t;
        const at = nextDropAt(sched, now);
        if (at === null) return;
        expect(at).toBeGreaterThan(now);
        expect((at - sched.startsAt) % (sched.dropIntervalSeconds * 1000)).toBe(0);
        expect(priceAt(sched, at - 1)).toBe(priceAt(sched, now));
        expect(priceViewAt(sched, now).nextPrice).toBe(priceAt(sched, at));
        expect(stepAt(sched, at)).toBe(stepAt(sched, now) + 1);
      }),
    );
  });
});
