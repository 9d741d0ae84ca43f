import type { DutchReceipt } from '@dutch/contract';
import { describe, expect, it } from 'vitest';
import { englishReceipt } from './english-fixtures.test-util.ts';
import { describeClearing, describeReceiptAmount } from './receipt-words.ts';

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
