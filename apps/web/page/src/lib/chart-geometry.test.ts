import type { PriceSchedule } from '@dutch/domain';
import { describe, expect, it } from 'vitest';
import { type ChartBox, computeChartGeometry } from './chart-geometry.ts';

// A 100 x 100 plot with no margins keeps the arithmetic readable.
const box: ChartBox = { width: 100, height: 100, left: 0, right: 0, top: 0, bottom: 0 };

const schedule: PriceSchedule = {
  startPrice: 100,
  floorPrice: null,
  priceDrop: { kind: 'constant', amount: 20 },
  dropIntervalSeconds: 1,
  startsAt: 0,
  endsAt: 4_000,
};

describe('computeChartGeometry', () => {
  it('draws every step, from the start price down to the last step, with air below it', () => {
    // Steps 100, 80, 60, 40; span 60, so the y axis runs from 40 - 9 = 31 to 100.
    const g = computeChartGeometry(schedule, null, box);
    expect(g.past).toBe('');
    expect(g.future).toBe('M0 0H25V28.99H50V57.97H75V86.96H100');
    expect(g.marker).toBeNull();
    expect(g.priceTicks).toEqual([
      { value: 100, at: 0 },
      { value: 40, at: 86.96 },
    ]);
  });

  it('splits the line at now and puts the marker on the price in force', () => {
    const g = computeChartGeometry(schedule, 1_500, box);
    expect(g.past).toBe('M0 0H25V28.99H37.5');
    expect(g.future).toBe('M37.5 28.99H50V57.97H75V86.96H100');
    expect(g.marker).toEqual({ x: 37.5, y: 28.99 });
  });

  it('has no marker outside the window, and all in the past after the end', () => {
    expect(computeChartGeometry(schedule, -1, box).marker).toBeNull();
    const ended = computeChartGeometry(schedule, 9_000, box);
    expect(ended.marker).toBeNull();
    expect(ended.future).toBe('');
    expect(ended.past).toBe('M0 0H25V28.99H50V57.97H75V86.96H100');
  });

  it('runs flat along a floor without repeating drops', () => {
    const floored = { ...schedule, priceDrop: { kind: 'constant', amount: 50 }, floorPrice: 10 } as const;
    // Steps 100, 50, 10, 10; the air below 10 would reach past 0, so the axis starts at 0.
    expect(computeChartGeometry(floored, null, box).future).toBe('M0 0H25V50H50V90H75H100');
  });

  it('keeps a single flat step off the axis', () => {
    const flat = { ...schedule, endsAt: 1_000 };
    const g = computeChartGeometry(flat, null, box);
    expect(g.future).toBe('M0 0H100');
    expect(g.priceTicks).toEqual([{ value: 100, at: 0 }]);
  });

  it('respects the margins', () => {
    const g = computeChartGeometry(schedule, null, {
      width: 200,
      height: 120,
      left: 40,
      right: 10,
      top: 10,
      bottom: 20,
    });
    expect(g.plot).toEqual({ x0: 40, x1: 190, y0: 10, y1: 100 });
    expect(g.future.startsWith('M40 10H77.5')).toBe(true);
  });
});
