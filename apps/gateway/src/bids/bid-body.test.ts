import { BidCreate } from '@dutch/contract';
import { MAX_BID_AMOUNT, MAX_STOCK } from '@dutch/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBidBody } from './bid-body.ts';

/** Numbers around every bound the contract has, and the ones JSON can spell oddly. */
const number = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(MAX_STOCK, MAX_STOCK + 1, MAX_BID_AMOUNT, MAX_BID_AMOUNT + 1, Number.MAX_SAFE_INTEGER),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, 1.5, 1e21, -0, 2 ** 53),
  fc.double(),
);
const value = fc.oneof(number, fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer()));
const key = fc.constantFrom('quantity', 'maxPrice', 'amount', 'price', '__proto__', 'constructor', 'Quantity');
const body = fc.dictionary(key, value, { maxKeys: 4 }).map((object) => JSON.stringify(object));
const text = fc.oneof(body, fc.string(), fc.constantFrom('[]', 'null', '1', '"x"', '{"quantity":1,"maxPrice":2,}'));

describe('readBidBody, the bid fast path reading a body without the validator', () => {
  it('accepts only what the contract accepts, and reads it as the contract does', () => {
    fc.assert(
      fc.property(text, (raw) => {
        const read = readBidBody(raw);
        if (read === null) return;
        const parsed = BidCreate.safeParse(JSON.parse(raw));
        expect(parsed.success).toBe(true);
        expect(read).toEqual(parsed.data);
      }),
      { numRuns: 5_000 },
    );
  });

  it('takes the common bodies of both formats', () => {
    expect(readBidBody('{"quantity":2,"maxPrice":90}')).toEqual({ quantity: 2, maxPrice: 90 });
    expect(readBidBody('{"maxPrice":90,"quantity":2}')).toEqual({ quantity: 2, maxPrice: 90 });
    expect(readBidBody('{"amount":120}')).toEqual({ amount: 120 });
    expect(readBidBody(` {"amount": ${MAX_BID_AMOUNT}} `)).toEqual({ amount: MAX_BID_AMOUNT });
  });

  it('leaves everything unusual to the validator (null), which names what is wrong', () => {
    for (const raw of [
      '',
      'not json',
      '{"quantity":1}',
      '{"quantity":1,"maxPrice":2,"amount":3}',
      '{"quantity":1.5,"maxPrice":2}',
      '{"quantity":"1","maxPrice":2}',
      `{"quantity":${MAX_STOCK + 1},"maxPrice":2}`,
      `{"amount":${MAX_BID_AMOUNT + 1}}`,
      '{"amount":0}',
      '{"__proto__":{"amount":1}}',
      '[{"amount":1}]',
    ])
      expect(readBidBody(raw), raw).toBeNull();
  });
});
