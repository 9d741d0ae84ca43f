import { describe, expect, it } from 'vitest';
import { bucketCounts, logHistogram, percentile, ratePoints, Samples, sortedCopy, summarize } from './stats.ts';

describe('percentile (nearest rank)', () => {
  const sorted = sortedCopy([5, 1, 4, 2, 3, 10, 9, 8, 7, 6]);

  it('is the smallest value with at least p% of values at or below it', () => {
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 90)).toBe(9);
    expect(percentile(sorted, 91)).toBe(10);
    expect(percentile(sorted, 99.9)).toBe(10);
    expect(percentile(sorted, 100)).toBe(10);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 10)).toBe(1);
    expect(percentile(sorted, 10.01)).toBe(2);
  });

  it('is NaN for no values, and the value itself for one', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(percentile([7], 99.9)).toBe(7);
  });

  it('summarizes without mutating its input', () => {
    const values = [3, 1, 2, 1000];
    const s = summarize(values);
    expect(values).toEqual([3, 1, 2, 1000]);
    expect(s).toMatchObject({ count: 4, min: 1, p50: 2, p99: 1000, max: 1000, mean: 251.5 });
  });

  it('takes the 99.9th of 10,000 values exactly (no histogram rounding)', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i + 1);
    expect(summarize(values).p999).toBe(9_990);
    expect(summarize(values).p99).toBe(9_900);
  });
});

describe('timelines', () => {
  it('counts times into buckets, leaving out those outside [start, end)', () => {
    expect(bucketCounts([1000, 1099, 1100, 1250, 1299, 1300, 999], 1000, 1300, 100)).toEqual([2, 1, 2]);
  });

  it('turns bucket counts into a rate per second at each bucket start', () => {
    expect(ratePoints([2, 0, 5], 250)).toEqual([
      [0, 8],
      [250, 0],
      [500, 20],
    ]);
  });
});

describe('logHistogram', () => {
  it('puts every value in exactly one log-spaced bin, below-minimum values in the first', () => {
    const values = [0.05, 0.1, 0.99, 1, 1.5, 10, 99.9, 100];
    const bins = logHistogram(values, 0.1, 1);
    expect(bins.map((b) => b.from)).toEqual([0.1, 1, 10, 100].map((v) => expect.closeTo(v, 9)));
    expect(bins.map((b) => b.count)).toEqual([3, 2, 2, 1]);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(values.length);
    for (const bin of bins) expect(bin.to).toBeGreaterThan(bin.from);
  });

  it('has contiguous bins', () => {
    const bins = logHistogram([0.3, 7, 42, 1234], 0.1, 10);
    for (let i = 1; i < bins.length; i++) expect(bins[i]?.from).toBe(bins[i - 1]?.to);
  });
});

describe('Samples', () => {
  it('grows past its initial capacity and keeps every value', () => {
    const samples = new Samples();
    for (let i = 0; i < 5000; i++) samples.push(i);
    expect(samples.length).toBe(5000);
    expect(samples.values()[4999]).toBe(4999);
  });
});
