import type { DutchReceipt } from '@dutch/contract';
import { describe, expect, it } from 'vitest';
import { englishReceipt } from './english-fixtures.test-util.ts';
import { describeClearing, describeReceiptAmount, describeReceiptPlace, positionOf } from './receipt-words.ts';

function dutch(overrides: Partial<DutchReceipt> = {}): DutchReceipt {
  return {
    id: 'r',
    auctionId: 'a',
    buyerId: 'b',
    sellerId: 's',
    format: 'dutch',
    quantity: 2,
    unitPrice: 100,
    total: 200,
    finalUnitPrice: 100,
    rebate: 0,
    status: 'PURCHASED',
    acceptedAt: new Date(0).toISOString(),
    ...overrides,
  };
}

describe('describeReceiptAmount', () => {
  it('shows what a Dutch purchase cost, and the rebate a uniform close paid back', () => {
    expect(describeReceiptAmount(dutch())).toBe('2 × 100 = 200 points');
    expect(describeReceiptAmount(dutch({ finalUnitPrice: 80, rebate: 40 }))).toBe(
      '2 × 100 = 200 points; final price 80 each: 40 points back',
    );
  });

  it('shows an English bid by its amount', () => {
    expect(describeReceiptAmount(englishReceipt({ amount: 1500 }))).toBe('Bid of 1,500 points');
  });
});

describe('describeClearing', () => {
  it('names the clearing price, or says nothing sold', () => {
    expect(describeClearing(80)).toContain('80 points each');
    expect(describeClearing(null)).toBe('Closed with nothing sold.');
  });
});

describe('describeReceiptPlace', () => {
  const at = new Date(2030, 0, 1, 9, 5, 7, 45).toISOString();

  it('gives a settled receipt its place in line and the millisecond it was accepted', () => {
    const settled = { ...dutch({ acceptedAt: at }), position: 12 };
    expect(positionOf(settled)).toBe(12);
    expect(describeReceiptPlace(settled)).toBe('#12 in line · accepted at 09:05:07.045');
    expect(describeReceiptPlace({ ...englishReceipt({ acceptedAt: at }), position: 3 })).toBe(
      'Bid #3 in order · accepted at 09:05:07.045',
    );
  });

  it('has no place before the receipt settles', () => {
    const pending = dutch({ status: 'PENDING', acceptedAt: at });
    expect(positionOf(pending)).toBeNull();
    expect(describeReceiptPlace(pending)).toBe('Waiting for its place in line · accepted at 09:05:07.045');
  });
});
