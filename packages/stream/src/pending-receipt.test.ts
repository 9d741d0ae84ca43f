import { describe, expect, it } from 'vitest';
import { decodePendingReceipt, encodePendingReceipt, type PendingReceipt } from './pending-receipt.ts';

const dutch: PendingReceipt = {
  id: '01900000-0000-7000-8000-000000000001',
  auctionId: '01900000-0000-7000-8000-000000000002',
  buyerId: '01900000-0000-7000-8000-000000000003',
  sellerId: '01900000-0000-7000-8000-000000000004',
  quantity: 2,
  unitPrice: 50,
  total: 100,
  acceptedAt: 1_900_000_000_000,
};

describe('pending receipt copies', () => {
  it('round-trip for both formats; an English copy says so', () => {
    const english: PendingReceipt = { ...dutch, format: 'english', quantity: 1, unitPrice: 150, total: 150 };
    expect(decodePendingReceipt(encodePendingReceipt(dutch))).toEqual(dutch);
    expect(decodePendingReceipt(encodePendingReceipt(english))).toEqual(english);
  });

  it('refuse a copy of an unknown format rather than guess its shape', () => {
    expect(decodePendingReceipt(JSON.stringify({ ...dutch, format: 'japanese' }))).toBeNull();
    expect(decodePendingReceipt(JSON.stringify({ ...dutch, quantity: 'two' }))).toBeNull();
    expect(decodePendingReceipt('not json')).toBeNull();
  });
});
