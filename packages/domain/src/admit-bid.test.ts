import { describe, expect, it } from 'vitest';
import { admitBid, validateBid } from './admit-bid.ts';
import { SELLER, sec, T0, terms } from './fixtures.test-util.ts';

const a = {
  ...terms({ startPrice: 100, priceDrop: { kind: 'constant', amount: 10 }, perBuyerLimit: 3 }),
  showStock: true,
};
const hidden = { ...a, showStock: false };
const bid = { buyerId: 'buyer', quantity: 2, maxPrice: 100 };

function code(result: ReturnType<typeof admitBid>) {
  return result.ok ? 'OK' : result.error.code;
}

describe('admitBid', () => {
  it('quotes the price at the gateway clock', () => {
    expect(admitBid(a, 10, bid, T0)).toEqual({ ok: true, value: { unitPrice: 100, total: 200 } });
    expect(admitBid(a, 10, bid, T0 + sec(60))).toEqual({ ok: true, value: { unitPrice: 90, total: 180 } });
  });

  it('refuses a quantity outside 1..perBuyerLimit as a bad request', () => {
    expect(code(admitBid(a, 10, { ...bid, quantity: 0 }, T0))).toBe('INVALID_REQUEST');
    expect(code(admitBid(a, 10, { ...bid, quantity: 4 }, T0))).toBe('INVALID_REQUEST');
    expect(code(admitBid(a, 10, { ...bid, quantity: 1.5 }, T0))).toBe('INVALID_REQUEST');
    expect(code(admitBid(a, 10, { ...bid, quantity: 3 }, T0))).toBe('OK');
  });

  it('names every broken shape rule at once, before any business rule', () => {
    const result = admitBid(a, 0, { buyerId: SELLER, quantity: 0, maxPrice: 0 }, T0 - 1);
    expect(result.ok ? null : result.error).toMatchObject({
      code: 'INVALID_REQUEST',
      violations: [
        { field: 'quantity', rule: 'quantity_range' },
        { field: 'maxPrice', rule: 'max_price_positive' },
      ],
    });
    expect(validateBid({ quantity: 3, maxPrice: 1 }, 3)).toEqual({ ok: true, value: true });
  });

  it('refuses the seller on their own auction', () => {
    expect(code(admitBid(a, 10, { ...bid, buyerId: SELLER }, T0))).toBe('OWN_AUCTION');
  });

  it('accepts from exactly startsAt until just before endsAt', () => {
    expect(code(admitBid(a, 10, bid, T0 - 1))).toBe('AUCTION_NOT_RUNNING');
    expect(code(admitBid(a, 10, bid, T0))).toBe('OK');
    expect(code(admitBid(a, 10, { ...bid, maxPrice: 20 }, T0 + sec(600) - 1))).toBe('OK');
    expect(code(admitBid(a, 10, bid, T0 + sec(600)))).toBe('AUCTION_NOT_RUNNING');
  });

  it('refuses once the known stock cannot cover the bid', () => {
    expect(code(admitBid(a, 0, bid, T0))).toBe('SOLD_OUT');
    expect(code(admitBid(a, 1, bid, T0))).toBe('SOLD_OUT');
    expect(code(admitBid(a, 2, bid, T0))).toBe('OK');
  });

  it('refuses when the current price is above maxPrice, accepts when equal', () => {
    expect(code(admitBid(a, 10, { ...bid, maxPrice: 99 }, T0))).toBe('PRICE_ABOVE_MAX');
    expect(code(admitBid(a, 10, { ...bid, maxPrice: 90 }, T0 + sec(60)))).toBe('OK');
    expect(code(admitBid(a, 10, { ...bid, maxPrice: 90 }, T0 + sec(60) - 1))).toBe('PRICE_ABOVE_MAX');
  });

  it('on a shown-stock auction names what is left, after the price check', () => {
    const refused = admitBid(a, 1, bid, T0);
    expect(refused.ok ? null : refused.error.message).toBe('Only 1 left; ask for fewer.');
    expect(code(admitBid(a, 1, { ...bid, maxPrice: 1 }, T0))).toBe('PRICE_ABOVE_MAX');
  });

  it('on a hidden-stock auction answers a bid the same whatever the stock, unless it is 0', () => {
    // The binary-search probe: quantity q at maxPrice 1, for stock below and above q.
    for (const stock of [1, 2, 3, 10]) {
      for (const quantity of [1, 2, 3]) {
        expect(admitBid(hidden, stock, { ...bid, quantity, maxPrice: 1 }, T0)).toEqual(
          admitBid(hidden, 10, { ...bid, quantity, maxPrice: 1 }, T0),
        );
        expect(admitBid(hidden, stock, { ...bid, quantity }, T0)).toEqual(
          admitBid(hidden, 10, { ...bid, quantity }, T0),
        );
      }
    }
    expect(code(admitBid(hidden, 1, { ...bid, quantity: 3 }, T0))).toBe('OK');
    expect(code(admitBid(hidden, 0, bid, T0))).toBe('SOLD_OUT');
    const soldOut = admitBid(hidden, 0, bid, T0);
    expect(soldOut.ok ? null : soldOut.error.message).toBe('The auction is sold out.');
  });

  it('treats terms that do not say showStock as hidden', () => {
    const { showStock: _shown, ...unsaid } = a;
    expect(code(admitBid(unsaid, 1, bid, T0))).toBe('OK');
  });
});
