/**
 * Small, exact statistics for the benchmark's figures: percentiles by nearest rank over every
 * recorded value (no histogram rounding), per-bucket timelines, and log-scale histograms.
 */

export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** Nearest-rank percentile of an ascending array: the smallest value with at least p% of values <= it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0] as number;
  // The epsilon keeps float error (99.9 / 100 * 10000 = 9990.000000000002) from moving a rank.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p * sorted.length) / 100 - 1e-9)));
  return sorted[rank - 1] as number;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const copy = Float64Array.from(values as ArrayLike<number>);
  copy.sort();
  return copy;
}

export function summarize(values: ArrayLike<number>): Summary {
  const sorted = sortedCopy(values);
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    min: sorted.length === 0 ? Number.NaN : (sorted[0] as number),
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
  };
}

/** Counts of `times` in consecutive buckets of bucketMs from `start` (inclusive) to `end` (exclusive). */
export function bucketCounts(times: ArrayLike<number>, start: number, end: number, bucketMs: number): number[] {
  const buckets = Math.max(1, Math.ceil((end - start) / bucketMs));
  const counts = new Array<number>(buckets).fill(0);
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    if (t < start || t >= end) continue;
    const index = Math.floor((t - start) / bucketMs);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

/** Per-bucket counts as a rate per second, with each bucket's start time (ms since `start`). */
export function ratePoints(counts: readonly number[], bucketMs: number): [number, number][] {
  return counts.map((count, i) => [i * bucketMs, (count * 1000) / bucketMs]);
}

export interface Bin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/**
 * A histogram with log-spaced bins (stepsPerDecade per factor of ten) from `min` up to the
 * largest value; values below `min` go to the first bin.
 */
export function logHistogram(values: ArrayLike<number>, min: number, stepsPerDecade: number): Bin[] {
  let max = min;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] as number);
  const step = 10 ** (1 / stepsPerDecade);
  const edges: number[] = [min];
  while ((edges[edges.length - 1] as number) <= max) edges.push((edges[edges.length - 1] as number) * step);
  const counts = new Array<number>(edges.length - 1).fill(0);
  const logMin = Math.log10(min);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    let index = v <= min ? 0 : Math.floor((Math.log10(v) - logMin) * stepsPerDecade);
    // Floating-point edges: nudge the index so edges[index] <= v < edges[index + 1].
    while (index > 0 && v < (edges[index] as number)) index--;
    while (index < counts.length - 1 && v >= (edges[index + 1] as number)) index++;
    const slot = Math.min(counts.length - 1, Math.max(0, index));
    counts[slot] = (counts[slot] ?? 0) + 1;
  }
  return counts.map((count, i) => ({ from: edges[i] as number, to: edges[i + 1] as number, count }));
}

/** A growable Float64 buffer: millions of latencies without millions of boxed numbers. */
export class Samples {
  private data = new Float64Array(1024);
  private size = 0;

  push(value: number): void {
    if (this.size === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = value;
  }

  get length(): number {
    return this.size;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.size);
  }
}

export const round = (value: number, digits = 1): number => {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/** Percentiles to the hundredth of a millisecond: finer is noise, and it keeps results files readable. */
export function roundSummary(s: Summary): Summary {
  return {
    count: s.count,
    min: round(s.min, 2),
    mean: round(s.mean, 2),
    p50: round(s.p50, 2),
    p90: round(s.p90, 2),
    p99: round(s.p99, 2),
    p999: round(s.p999, 2),
    max: round(s.max, 2),
  };
}

/**
 * The 2xx answers of some runs: bids accepted. Takes a run's raw result or its kept figures
 * alike, so the scenarios (waiting for receipts) and the gateway trials (judging) count the same.
 */
export function countAccepted(runs: readonly { readonly statuses: Readonly<Record<string, number>> }[]): number {
  let n = 0;
  for (const run of runs)
    for (const [status, count] of Object.entries(run.statuses)) if (status.startsWith('2')) n += count;
  return n;
}
