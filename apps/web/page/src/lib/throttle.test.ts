import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThrottle } from './throttle.ts';

describe('createThrottle', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at once, then collapses a burst into one run when the interval has passed', async () => {
    const runs: number[] = [];
    const throttle = createThrottle(() => {
      runs.push(Date.now());
    }, 1_000);
    throttle.trigger();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 50; i++) {
      throttle.trigger();
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toEqual([1_000_000, 1_001_000]);
  });

  it('never runs twice at once: a trigger during a slow run becomes one run after it', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const throttle = createThrottle(async () => {
      runs += 1;
      active += 1;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      active -= 1;
    }, 500);
    throttle.trigger();
    await vi.advanceTimersByTimeAsync(1_000);
    throttle.trigger();
    throttle.trigger();
    await vi.advanceTimersByTimeAsync(10_000);
    expect({ runs, most }).toEqual({ runs: 2, most: 1 });
  });

  it('keeps going after a failed run, and cancel drops a waiting run', async () => {
    let runs = 0;
    const throttle = createThrottle(() => {
      runs += 1;
      if (runs === 1) throw new Error('network');
    }, 1_000);
    throttle.trigger();
    await vi.advanceTimersByTimeAsync(0);
    throttle.trigger();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    throttle.trigger();
    throttle.cancel();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(2);
  });
});
