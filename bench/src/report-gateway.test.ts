import { describe, expect, it } from 'vitest';
import { pairTrial, sideOf } from './gateway-trials.ts';
import { markdown, printTargets, targetsOf } from './report.ts';
import { loadResults, resultsOf, runFigures } from './report-fixtures.test-util.ts';
import type { GatewayFigures, RunResults } from './results.ts';

/** Bare hono at 10,000/s (p99 20 ms, 15 KB allocated per request) on 1.6 cores; the gateway's bids/s and p99 as given, on 1.2 cores. */
function trial(n: number, bidsPerSecond: number, p99: number) {
  const idle = 0.01;
  const bare = runFigures({
    name: 'bare',
    ok: 100_000,
    p99: 20,
    cpu: { 'reference (bare)': 1.6, 'gateway workers': idle },
  });
  const gateway = runFigures({
    name: 'gateway',
    ok: bidsPerSecond * 10,
    refused: 1_000,
    p99,
    cpu: { 'gateway workers': 1.2, 'reference (bare)': idle },
  });
  return pairTrial(n, sideOf(bare, 1.6, 15 * 1024 * 100_000), sideOf(gateway, 1.2, null));
}

const results = (gateway: GatewayFigures): RunResults => resultsOf('gateway', { gateway });

const figures = (trials: GatewayFigures['trials']): GatewayFigures => ({
  trials,
  accepted: 100_000,
  outcomes: { PURCHASED: 1_000, SOLD_OUT: 99_000 },
  gcTrace: { gcs: 900, samples: 2_000, garbled: 0, falls: 10, fallsBeyondRounding: 0 },
  memory: { gatewayPeakBytes: 150 * 1024 * 1024, consumerPeakBytes: 100 * 1024 * 1024, processes: [] },
  engineWarnings: {},
});

describe("the report's gateway trials", () => {
  const passing = results(figures([trial(1, 7_000, 25), trial(2, 5_000, 25), trial(3, 6_500, 29)]));

  it('judges each target on the trials, and says in how many both were met', () => {
    const [rate, p99, both, absolute] = passing.targets;
    expect(rate?.value).toBe('0.70×, 0.50×, 0.65×');
    expect(rate?.target).toBe('≥ 0.6× bare hono in ≥ 2 of 3 trials');
    expect(rate?.met).toBe(true);
    expect(p99?.value).toBe('1.25×, 1.25×, 1.45×');
    expect(p99?.met).toBe(true);
    expect(both?.value).toBe('gateway targets met in 2 of 3 trials');
    expect(both?.met).toBe(true);
    expect(absolute?.met).toBeNull();
    expect(absolute?.target).toContain('≤ 10 ms');
  });

  it('fails the gateway when only one trial meets both', () => {
    const r = results(figures([trial(1, 7_000, 25), trial(2, 5_000, 25), trial(3, 6_500, 31)]));
    expect(r.targets.slice(0, 3).map((t) => t.met)).toEqual([true, true, false]);
    expect(r.targets[2]?.value).toBe('gateway targets met in 1 of 3 trials');
    expect(printTargets(r)).toContain('❌ Gateway targets (issue 14): both in the same trial');
  });

  it('renders a row per trial, with CPU and heap per request', () => {
    const md = markdown(passing);
    expect(md).toContain('## Gateway vs bare hono (paired trials)');
    expect(md).toContain('**Gateway targets met in 2 of 3 trials** (needed: 2)');
    // 7,000 bids/s on 1.2 cores vs 10,000/s on 1.6: 0.93× per core; 1.2 cores × 10 s / 71,000 answers.
    expect(md).toContain(
      '| 1 | bare first | 10,000 | 7,000 | 0.70× | 0.93× | 20.0 ms | 25.0 ms | 1.25× | 160 µs / 169 µs | 15.0 KB / – | ✅ both |',
    );
    expect(md).toContain('| 2 | gateway first | 10,000 | 5,000 | 0.50× |');
    expect(md).toContain('❌ missed rate |');
    expect(md).toContain('| gateway trial 2: gateway, settlement held | 5,100 |');
    expect(md).toContain('| gateway (paired trials) | 150 MB | 100 MB |');
  });

  it("replaces burst's gateway rows when both ran; without the trials, burst's p99 target is the ratio", () => {
    const full = loadResults('full');
    const burstOnly = targetsOf(full).map((t) => t.name);
    expect(burstOnly.slice(0, 2)).toEqual([
      'Gateway accepted bids/s (100 conns, every bid 202: auth, validation, idempotency, XADD)',
      'Gateway p99 at 100 connections (same run)',
    ]);
    expect(targetsOf(full)[1]?.target).toBe('≤ 1.5× bare hono p99 (mean)');
    const names = targetsOf({ ...full, gateway: passing.gateway }).map((t) => t.name);
    expect(names.filter((n) => n.startsWith('Gateway'))).toEqual(passing.targets.slice(0, 4).map((t) => t.name));
    expect(names).toContain('Hot-auction settlement bids/s (one auction, backlog drained by the consumers)');
  });
});
