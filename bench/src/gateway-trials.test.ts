import { describe, expect, it } from 'vitest';
import { countTrials, orderOf, pairTrial, sideOf, trialsNeeded } from './gateway-trials.ts';
import { runFigures } from './report-fixtures.test-util.ts';

/** A run of 10 s with `ok` 202s and `refused` 409s, its p99 given. */
const run = (ok: number, p99: number, refused = 0) => runFigures({ ok, p99, refused });

const bare = (rps: number, p99: number) => sideOf(run(rps * 10, p99), 1.6, null);
const gateway = (bidsPerSecond: number, p99: number) => sideOf(run(bidsPerSecond * 10, p99), 1.2, null);

describe('a paired trial', () => {
  it('puts bare hono first in trials 1 and 3, the gateway first in trial 2', () => {
    expect([1, 2, 3].map(orderOf)).toEqual(['bare first', 'gateway first', 'bare first']);
  });

  it('divides accepted bids/s (202s only) by bare req/s, and p99 by p99', () => {
    const g = sideOf(run(60_000, 30, 10_000), 1.2, null);
    const trial = pairTrial(1, bare(10_000, 20), g);
    expect(g.acceptedPerSecond).toBe(6_000);
    expect(trial.ratio).toBeCloseTo(0.6);
    expect(trial.p99Ratio).toBeCloseTo(1.5);
    expect(trial.met).toEqual({ rate: true, p99: true, both: true });
    // 6,000 bids/s on 1.2 cores against 10,000 req/s on 1.6 cores.
    expect(trial.perCoreRatio).toBeCloseTo(0.8);
  });

  it('misses a target just past either bound', () => {
    expect(pairTrial(1, bare(10_000, 20), gateway(5_990, 20)).met).toEqual({ rate: false, p99: true, both: false });
    expect(pairTrial(1, bare(10_000, 20), gateway(7_000, 30.2)).met).toEqual({ rate: true, p99: false, both: false });
  });

  it('never meets the rate against a bare run that answered nothing', () => {
    expect(pairTrial(1, sideOf(run(0, 20), null, null), gateway(5_000, 10)).met.rate).toBe(false);
  });

  it('gives CPU µs and heap bytes per answer, or null when not measured', () => {
    const side = sideOf(run(20_000, 10), 1.5, 300 * 1024 * 1024);
    expect(side.cpuMicrosPerRequest).toBeCloseTo(750);
    expect(side.bytesPerRequest).toBeCloseTo(15_728.64);
    expect(sideOf(run(20_000, 10), null, null)).toMatchObject({ cpuMicrosPerRequest: null, bytesPerRequest: null });
  });
});

describe('counting the trials', () => {
  const met = pairTrial(1, bare(10_000, 20), gateway(7_000, 25));
  const slow = pairTrial(2, bare(10_000, 20), gateway(5_000, 25));
  const late = pairTrial(3, bare(10_000, 20), gateway(7_000, 40));

  it('needs a majority: 2 of 3', () => {
    expect(trialsNeeded(3)).toBe(2);
    expect(trialsNeeded(1)).toBe(1);
    expect(trialsNeeded(4)).toBe(3);
  });

  it('counts each target apart, and both in the same trial', () => {
    expect(countTrials([met, slow, late])).toEqual({ trials: 3, needed: 2, rate: 2, p99: 2, both: 1 });
    expect(countTrials([met, met, late])).toEqual({ trials: 3, needed: 2, rate: 3, p99: 2, both: 2 });
  });
});
