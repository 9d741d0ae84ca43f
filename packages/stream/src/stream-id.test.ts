import { describe, expect, it } from 'vitest';
import { compareStreamIds } from './stream-id.ts';

describe('compareStreamIds', () => {
  it('orders stream ids numerically, not as text', () => {
    expect(compareStreamIds('1700000000000-10', '1700000000000-9')).toBeGreaterThan(0);
    expect(compareStreamIds('999-0', '1000-0')).toBeLessThan(0);
    expect(compareStreamIds('5-1', '5-1')).toBe(0);
  });

  it('stays exact past 2^53, where Number would round', () => {
    expect(compareStreamIds('1-9007199254740993', '1-9007199254740992')).toBeGreaterThan(0);
  });
});
