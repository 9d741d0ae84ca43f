import { describe, expect, it } from 'vitest';
import type { RunFigures } from './phases.ts';
import { markdown } from './report.ts';
import { resultsOf } from './report-fixtures.test-util.ts';
import type { RunResults, WatchersFigures } from './results.ts';

const summary = (p50: number, max: number) => ({
  count: 180,
  min: p50,
  mean: p50,
  p50,
  p90: p50,
  p99: max,
  p999: max,
  max,
});

const WATCH_RUN: RunFigures = {
  name: 'watchers: PUT /auctions/:id/watch',
  connections: 100,
  seconds: 2.2,
  sent: 11_000,
  responses: 11_000,
  rps: 5_000,
  statuses: { '200': 11_000 },
  codes: {},
  transportErrors: 0,
  timeouts: 0,
  latencyMs: summary(15, 60),
  schedule: null,
  histogram: [],
  cpu: null,
};

function watchers(overrides: Partial<WatchersFigures['alerts']> = {}, withinOneSecond = true): WatchersFigures {
  return {
    reached: 10_000,
    unreached: 1_000,
    watch: WATCH_RUN,
    calibrationPerSecond: 4_000,
    drop: { at: '2030-01-01T12:00:10.000Z', afterStartSeconds: 10, priceBefore: 100, priceAfter: 90 },
    alerts: {
      stored: 10_000,
      transactions: 1,
      firstStampAfterDropMs: 120,
      lastStampAfterDropMs: 120,
      allVisibleAfterDropMs: 410,
      allNotifiedAfterDropMs: 410,
      storedPerSecond: 34_483,
      storedPerSecondFromDrop: 24_390,
      ...overrides,
    },
    withinOneSecond,
    streams: { opened: 200, reached: 180, delayMs: summary(420, 470) },
    memory: { gatewayPeakBytes: 150 * 1024 * 1024, consumerPeakBytes: 120 * 1024 * 1024, processes: [] },
    engineWarnings: {},
  };
}

const results = (watchers: WatchersFigures): RunResults => resultsOf('watchers', { watchers });

describe("the report's watchers section", () => {
  it('shows the watches taken, the drop, the alerts stored and the streams', () => {
    const md = markdown(results(watchers()));
    expect(md).toContain('## Watchers: one price drop, every alert once');
    expect(md).toContain('| watchers: the drop reaches / does not reach | 10,000 / 1,000 |');
    expect(md).toContain(
      '| PUT /auctions/:id/watch (one per watcher, after the start) | 11,000 × 200 of 11,000 at 5,000/s; p50 15.0 ms, p99 60.0 ms |',
    );
    expect(md).toContain('| 2030-01-01T12:00:10.000Z: 100 → 90, 10 s after the start (first pass 4,000/s) |');
    expect(md).toContain('| price_alerts stored | 10,000 in 1 transaction(s) (distinct created_at) |');
    expect(md).toContain('Postgres, polled every 100 ms, showed them all) | 410 ms |');
    expect(md).toContain('| drop → notify events had named every reached watcher | 410 ms |');
    expect(md).toContain('| stored per second: storing transaction’s start → all committed | 34,483/s |');
    expect(md).toContain('reached, 200 streams open) | 420 ms / 470 ms / 470 ms |');
    expect(md).toContain('| watchers | 150 MB | 120 MB |');
    expect(md).toContain('| watchers: PUT /auctions/:id/watch, once per watcher (11,000) | 5,000 |');
  });

  it('marks the one-second target met or missed, and reports the rate', () => {
    const [met, rate] = results(watchers()).targets;
    expect(met?.met).toBe(true);
    expect(met?.target).toBe('≤ 1 s');
    expect(met?.value).toBe('all committed 410 ms after the drop (10,000 stored, last stamped 120 ms)');
    expect(met?.reference).toBe('180 sampled streams received theirs: p50 420 ms, max 470 ms');
    expect(rate?.value).toBe('34,483/s (1 transaction(s); 24,390/s from the drop)');
    expect(rate?.met).toBeNull();
    const late = results(watchers({ allVisibleAfterDropMs: 1_250 }, false));
    expect(late.targets[0]?.met).toBe(false);
    expect(markdown(late)).toContain('❌');
  });
});
