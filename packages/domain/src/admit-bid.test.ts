import { describe, expect, it } from 'vitest';
import { admitBid, validateBid } from './admit-bid.ts';
import { SELLER, sec, T0, terms } from './fixtures.test-util.ts';

const a = terms({ startPrice: 100, priceDrop: { kind: 'constant', amount: 10 }, perBuyerLimit: 3 });
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
});
