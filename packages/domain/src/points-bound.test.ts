import { describe, expect, it } from 'vitest';
import { checkPointsBound } from './points-bound.ts';

describe('checkPointsBound', () => {
  it('refuses only when even the upper bound cannot pay the bid', () => {
    expect(checkPointsBound(299, 100, 3)).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_POINTS' } });
    expect(checkPointsBound(0, 1, 1).ok).toBe(false);
    expect(checkPointsBound(300, 100, 3).ok).toBe(true);
    expect(checkPointsBound(1_000_000, 100, 3).ok).toBe(true);
  });

  it('lets every bid through when the bound is unknown', () => {
    expect(checkPointsBound(undefined, 1_000_000, 100).ok).toBe(true);
  });

  it('never refuses a bid the true balance can pay, for any bound at or above it', () => {
    for (let points = 0; points <= 50; points++)
      for (let slack = 0; slack <= 5; slack++)
        for (const [price, quantity] of [
          [1, 1],
          [7, 3],
          [10, 5],
        ] as const) {
          if (points >= price * quantity) expect(checkPointsBound(points + slack, price, quantity).ok).toBe(true);
        }
  });
});
