import { describe, expect, it } from 'vitest';
import { receiptAfterGivingUp } from './given-up.ts';
import { FINAL_STATUSES, HELD_STATUSES } from './receipt.ts';

describe('receiptAfterGivingUp', () => {
  it('fails a given-up bid with PROCESSING_FAILED, a final status', () => {
    const after = receiptAfterGivingUp('bid');
    expect(after).toEqual({ status: 'FAILED', failureReason: 'PROCESSING_FAILED', onlyFrom: null });
    expect(FINAL_STATUSES).toContain(after.status);
  });

  it('leaves a given-up refund purchased, and only touches a receipt still held', () => {
    const after = receiptAfterGivingUp('refund');
    expect(after.status).toBe('PURCHASED');
    expect(after.failureReason).toBe('PROCESSING_FAILED');
    expect(after.onlyFrom).toEqual(HELD_STATUSES);
    expect(after.onlyFrom).not.toContain('REFUNDED');
  });
});
