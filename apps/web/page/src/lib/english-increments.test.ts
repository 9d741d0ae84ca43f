import { describe, expect, it } from 'vitest';
import { firstMinimums, summarizeEnglish } from './english-increments.ts';

describe('the English preview', () => {
  it("lists the first bids' minimums: the start price, then one increment each", () => {
    expect(firstMinimums({ startPrice: 100, minIncrement: 5 }, 4)).toEqual([100, 105, 110, 115]);
    expect(firstMinimums({ startPrice: 1, minIncrement: 1 }, 1)).toEqual([1]);
  });

  it('says the increment, the soft close and the reserve in words', () => {
    const words = summarizeEnglish({ startPrice: 1000, minIncrement: 50, reservePrice: 2000, extendSeconds: 30 });
    expect(words.increments).toBe(
      'The first bid must be at least 1,000 points; each later bid at least 50 more than the high bid.',
    );
    expect(words.softClose).toBe('A leading bid in the last 30 s moves the end to 30 s after that bid.');
    expect(words.reserve).toContain('Reserve 2,000 points');
    const plain = summarizeEnglish({ startPrice: 1, minIncrement: 1, reservePrice: null, extendSeconds: 0 });
    expect(plain.softClose).toBe('The end never moves: bids close at the set time.');
    expect(plain.reserve).toBe('No reserve: the highest bid wins, whatever it is.');
  });
});
