import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskName } from './mask-name.ts';

describe('maskName', () => {
  it.each([
    ['Bella', 'B***a'],
    ['Bo', 'B***o'],
    ['B', 'B***'],
    ['', '***'],
    ['   ', '***'],
    ['  Anna Maria  ', 'A***a'],
    ['Zoë', 'Z***ë'],
    ['😀Ann😎', '😀***😎'],
  ])('%j -> %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('shows at most the first and last character, whatever the length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', minLength: 3, maxLength: 40 }), (name) => {
        const chars = Array.from(name.trim());
        fc.pre(chars.length >= 2);
        expect(maskName(name)).toBe(`${chars[0]}***${chars[chars.length - 1]}`);
        expect(maskName(name).length).toBe(5);
      }),
    );
  });
});
