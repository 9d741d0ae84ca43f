import { describe, expect, it } from 'vitest';
import {
  admitEnglishBid,
  ENGLISH_STATUSES,
  englishStatusAt,
  minNextBid,
  openingLead,
  reserveMet,
  validateEnglishBid,
} from './english.ts';
import { englishTerms, SELLER, sec, T0 } from './fixtures.test-util.ts';
import { MAX_BID_AMOUNT } from './limits.ts';

const t = englishTerms({ startPrice: 100, minIncrement: 10 });
const code = (r: ReturnType<typeof admitEnglishBid>) => (r.ok ? 'OK' : r.error.code);

describe('minNextBid', () => {
  it('is startPrice before the first leading bid, then highBid + minIncrement', () => {
    expect(minNextBid(t, null)).toBe(100);
    expect(minNextBid(t, 100)).toBe(110);
    expect(minNextBid(t, 137)).toBe(147);
  });
});

describe('englishStatusAt', () => {
  it('runs in [startsAt, current end) and is never sold_out', () => {
    const end = T0 + sec(600);
    expect(englishStatusAt(t, end, T0 - 1)).toBe('scheduled');
    expect(englishStatusAt(t, end, T0)).toBe('running');
    expect(englishStatusAt(t, end, end - 1)).toBe('running');
    expect(englishStatusAt(t, end, end)).toBe('ended');
    // An extension moves the end, and the status follows the current end, not the scheduled one.
    expect(englishStatusAt(t, end + sec(30), end)).toBe('running');
    expect(ENGLISH_STATUSES).toEqual(['scheduled', 'running', 'ended']);
  });
});

describe('reserveMet', () => {
  it('is false with no bid, whatever the reserve', () => {
    expect(reserveMet({ reservePrice: null }, null)).toBe(false);
    expect(reserveMet({ reservePrice: 100 }, null)).toBe(false);
  });

  it('is met by any bid without a reserve, and from the reserve on with one', () => {
    expect(reserveMet({ reservePrice: null }, 1)).toBe(true);
    expect(reserveMet({ reservePrice: 150 }, 149)).toBe(false);
    expect(reserveMet({ reservePrice: 150 }, 150)).toBe(true);
  });
});

describe('openingLead', () => {
  it('starts with no bid and the scheduled end', () => {
    expect(openingLead(t)).toEqual({
      highBid: null,
      leaderId: null,
      leadingReceiptId: null,
      bidCount: 0,
      endsAt: t.endsAt,
    });
  });
});

describe('validateEnglishBid', () => {
  it('wants a whole amount from 1 to MAX_BID_AMOUNT', () => {
    for (const amount of [0, -5, 1.5, Number.NaN, MAX_BID_AMOUNT + 1]) {
      expect(validateEnglishBid({ amount })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_REQUEST', violations: [{ field: 'amount', rule: 'amount_range' }] },
      });
    }
    expect(validateEnglishBid({ amount: 1 }).ok).toBe(true);
    expect(validateEnglishBid({ amount: MAX_BID_AMOUNT }).ok).toBe(true);
  });
});

describe('admitEnglishBid', () => {
  const lead = { highBid: null, endsAt: t.endsAt };

  it('admits a bid at or above the minimum next bid while running', () => {
    expect(admitEnglishBid(t, lead, { buyerId: 'b', amount: 100 }, T0)).toEqual({ ok: true, value: { amount: 100 } });
    expect(code(admitEnglishBid(t, { highBid: 100, endsAt: t.endsAt }, { buyerId: 'b', amount: 110 }, T0))).toBe('OK');
  });

  it('refuses BID_TOO_LOW below the minimum next bid, naming it', () => {
    const result = admitEnglishBid(t, { highBid: 100, endsAt: t.endsAt }, { buyerId: 'b', amount: 109 }, T0);
    expect(result).toMatchObject({ ok: false, error: { code: 'BID_TOO_LOW' } });
    expect(result.ok ? '' : result.error.message).toContain('110');
    expect(code(admitEnglishBid(t, lead, { buyerId: 'b', amount: 99 }, T0))).toBe('BID_TOO_LOW');
  });

  it('refuses outside [startsAt, current end), and follows an extended end', () => {
    expect(code(admitEnglishBid(t, lead, { buyerId: 'b', amount: 100 }, T0 - 1))).toBe('AUCTION_NOT_RUNNING');
    expect(code(admitEnglishBid(t, lead, { buyerId: 'b', amount: 100 }, t.endsAt))).toBe('AUCTION_NOT_RUNNING');
    const extended = { highBid: 100, endsAt: t.endsAt + sec(20) };
    expect(code(admitEnglishBid(t, extended, { buyerId: 'b', amount: 110 }, t.endsAt))).toBe('OK');
  });

  it('checks shape first, then running, then ownership, then the amount', () => {
    expect(code(admitEnglishBid(t, lead, { buyerId: SELLER, amount: 0 }, T0 - 1))).toBe('INVALID_REQUEST');
    expect(code(admitEnglishBid(t, lead, { buyerId: SELLER, amount: 1 }, T0 - 1))).toBe('AUCTION_NOT_RUNNING');
    expect(code(admitEnglishBid(t, lead, { buyerId: SELLER, amount: 1 }, T0))).toBe('OWN_AUCTION');
    expect(code(admitEnglishBid(t, lead, { buyerId: 'b', amount: 1 }, T0))).toBe('BID_TOO_LOW');
  });
});
