import { describe, expect, it } from 'vitest';
import { createServerClock } from './server-clock.ts';

function fakeLocal(start: number) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createServerClock', () => {
  it('adopts the first server stamp as now', () => {
    const local = fakeLocal(1_000);
    const clock = createServerClock(local.now);
    clock.observe(5_000);
    expect(clock.now()).toBe(5_000);
    local.advance(250);
    expect(clock.now()).toBe(5_250);
  });

  it('moves forward on a fresher stamp but never back on a slower response', () => {
    const local = fakeLocal(0);
    const clock = createServerClock(local.now);
    clock.observe(10_000);
    local.advance(100);
    clock.observe(10_150); // arrived faster: the server is further along than we thought
    expect(clock.now()).toBe(10_150);
    local.advance(100);
    clock.observe(10_050); // arrived 200 ms late: keep the better estimate
    expect(clock.now()).toBe(10_250);
  });

  it('starts over when the local clock jumped ahead of the server by more than latency explains', () => {
    const local = fakeLocal(0);
    const clock = createServerClock(local.now);
    clock.observe(10_000);
    local.advance(60_000); // e.g. the laptop slept and NTP stepped the clock
    clock.observe(12_000);
    expect(clock.now()).toBe(12_000);
  });

  it('atLeast only ever moves the clock forward', () => {
    const local = fakeLocal(0);
    const clock = createServerClock(local.now);
    clock.observe(1_000);
    clock.atLeast(900);
    expect(clock.now()).toBe(1_000);
    clock.atLeast(1_020);
    expect(clock.now()).toBe(1_020);
    expect(clock.offsetMs).toBe(1_020);
  });

  it('ignores a stamp that is not a time', () => {
    const clock = createServerClock(() => 500);
    clock.observe(Number.NaN);
    expect(clock.now()).toBe(500);
  });
});
