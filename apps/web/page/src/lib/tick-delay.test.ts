import { describe, expect, it } from 'vitest';
import { delayToNextTick } from './tick-delay.ts';

describe('delayToNextTick', () => {
  it('lands on the next whole second before the target', () => {
    expect(delayToNextTick(0, 2_300)).toBe(300);
    expect(delayToNextTick(300, 2_300)).toBe(1_000);
    expect(delayToNextTick(2_299, 2_300)).toBe(1);
  });

  it('falls back to a plain second without a target, or once it has passed', () => {
    expect(delayToNextTick(0, null)).toBe(1_000);
    expect(delayToNextTick(5_000, 4_000)).toBe(1_000);
  });
});
