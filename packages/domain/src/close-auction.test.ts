import { describe, expect, it } from 'vitest';
import { closeAuction, closeDueAt, closesNow, type PurchasedReceipt } from './close-auction.ts';
import type { EnglishLead } from './english.ts';
import { englishTerms, SELLER, sec, T0, terms } from './fixtures.test-util.ts';

const uniform = terms({ pricing: 'uniform', endsAt: T0 + sec(600) });
const purchase = (receiptId: string, buyerId: string, quantity: number, unitPrice: number): PurchasedReceipt => ({
  receiptId,
  buyerId,
  quantity,
  unitPrice,
  total: quantity * unitPrice,
});

describe('closesNow', () => {
  it('closes a Dutch auction at its end, or at once when sold out', () => {
    const endsAt = T0 + sec(600);
    expect(closesNow({ format: 'dutch', stock: 3, endsAt }, endsAt - 1)).toBe(false);
    expect(closesNow({ format: 'dutch', stock: 3, endsAt }, endsAt)).toBe(true);
    expect(closesNow({ format: 'dutch', stock: 0, endsAt }, endsAt)).toBe(true);
    expect(closesNow({ format: 'dutch', stock: 0, endsAt: endsAt + sec(60) }, endsAt)).toBe(true);
  });

  it('treats an English close for an end that has since moved as premature', () => {
    const endsAt = T0 + sec(630);
    expect(closesNow({ format: 'english', stock: 1, endsAt }, T0 + sec(600))).toBe(false);
    expect(closesNow({ format: 'english', stock: 1, endsAt }, endsAt)).toBe(true);
  });
});

describe('closeDueAt', () => {
  const auction = { startsAt: T0, endsAt: T0 + sec(600) };
  it('is the current end plus the grace, or at once for a sold-out Dutch auction', () => {
    expect(closeDueAt({ ...auction, format: 'dutch', stock: 2 }, 2000)).toBe(T0 + sec(602));
    expect(closeDueAt({ ...auction, format: 'dutch', stock: 0 }, 2000)).toBeLessThanOrEqual(T0);
    expect(closeDueAt({ ...auction, format: 'english', stock: 1, endsAt: T0 + sec(660) }, 2000)).toBe(T0 + sec(662));
  });
});

describe('closeAuction (Dutch)', () => {
  it('pay-as-bid: nothing to write but the status', () => {
    const a = terms({ endsAt: T0 + sec(600) });
    const sold = closeAuction(
      { format: 'dutch', terms: a, stock: 0, purchases: [purchase('r1', 'x', 1, 100)] },
      T0 + sec(30),
    );
    expect(sold).toEqual({
      status: 'sold_out',
      clearingPrice: null,
      winnerId: null,
      finalPrice: null,
      receipts: [],
      moves: [],
    });
    const ended = closeAuction({ format: 'dutch', terms: a, stock: 4, purchases: [] }, a.endsAt + 2000);
    expect(ended.status).toBe('ended');
    // Sold out only at the very end is simply ended: the status after endsAt is ended whatever the stock.
    expect(closeAuction({ format: 'dutch', terms: a, stock: 0, purchases: [] }, a.endsAt).status).toBe('ended');
  });

  it('uniform: clears at the lowest unit price, rebating each purchase down to it from the released hold', () => {
    const purchases = [purchase('r1', 'x', 2, 100), purchase('r2', 'y', 1, 90), purchase('r3', 'x', 3, 80)];
    const plan = closeAuction({ format: 'dutch', terms: uniform, stock: 4, purchases }, uniform.endsAt + 2000);
    expect(plan.clearingPrice).toBe(80);
    expect(plan.receipts).toEqual([
      { receiptId: 'r1', finalUnitPrice: 80, rebate: 40 },
      { receiptId: 'r2', finalUnitPrice: 80, rebate: 10 },
      { receiptId: 'r3', finalUnitPrice: 80, rebate: 0 },
    ]);
    expect(plan.moves).toEqual([
      { kind: 'release', from: SELLER, to: SELLER, amount: 200, receiptId: 'r1' },
      { kind: 'rebate', from: SELLER, to: 'x', amount: 40, receiptId: 'r1' },
      { kind: 'release', from: SELLER, to: SELLER, amount: 90, receiptId: 'r2' },
      { kind: 'rebate', from: SELLER, to: 'y', amount: 10, receiptId: 'r2' },
      { kind: 'release', from: SELLER, to: SELLER, amount: 240, receiptId: 'r3' },
    ]);
  });

  it('uniform with nothing sold: no clearing price', () => {
    const plan = closeAuction({ format: 'dutch', terms: uniform, stock: 10, purchases: [] }, uniform.endsAt);
    expect(plan).toMatchObject({ status: 'ended', clearingPrice: null, receipts: [], moves: [] });
  });
});

describe('closeAuction (English)', () => {
  const lead = (highBid: number): EnglishLead => ({
    highBid,
    leaderId: 'w',
    leadingReceiptId: 'r9',
    bidCount: 4,
    endsAt: T0 + sec(600),
  });

  it('ends unsold without a leading bid', () => {
    const t = englishTerms();
    const empty: EnglishLead = { highBid: null, leaderId: null, leadingReceiptId: null, bidCount: 0, endsAt: t.endsAt };
    expect(closeAuction({ format: 'english', terms: t, lead: empty }, t.endsAt)).toEqual({
      status: 'ended',
      clearingPrice: null,
      winnerId: null,
      finalPrice: null,
      receipts: [],
      moves: [],
    });
  });

  it('the leader wins at the reserve or above: the hold is released, then paid to the seller', () => {
    const t = englishTerms({ reservePrice: 300 });
    const plan = closeAuction({ format: 'english', terms: t, lead: lead(300) }, t.endsAt);
    expect(plan).toMatchObject({
      status: 'ended',
      winnerId: 'w',
      finalPrice: 300,
      receipts: [{ receiptId: 'r9', status: 'WON' }],
    });
    expect(plan.moves).toEqual([
      { kind: 'release', from: 'w', to: 'w', amount: 300, receiptId: 'r9' },
      { kind: 'purchase', from: 'w', to: SELLER, amount: 300, receiptId: 'r9' },
    ]);
  });

  it('below the reserve the leader gets the hold back and nobody wins', () => {
    const t = englishTerms({ reservePrice: 300 });
    const plan = closeAuction({ format: 'english', terms: t, lead: lead(299) }, t.endsAt);
    expect(plan).toMatchObject({
      winnerId: null,
      finalPrice: null,
      receipts: [{ receiptId: 'r9', status: 'RESERVE_NOT_MET' }],
    });
    expect(plan.moves).toEqual([{ kind: 'release', from: 'w', to: 'w', amount: 299, receiptId: 'r9' }]);
  });
});
