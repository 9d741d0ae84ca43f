import { describe, expect, it } from 'vitest';
import { createRefundProgress, isBidSettled } from './receipt-progress.ts';

describe('isBidSettled', () => {
  it('waits for PURCHASED or FAILED', () => {
    expect(isBidSettled({ status: 'PENDING' })).toBe(false);
    expect(isBidSettled({ status: 'PURCHASED' })).toBe(true);
    expect(isBidSettled({ status: 'FAILED' })).toBe(true);
  });
});

describe('createRefundProgress', () => {
  it('shows the promised REFUND_PENDING while the receipt still reads PURCHASED, until REFUNDED', () => {
    const progress = createRefundProgress();
    expect(progress.isDone({ status: 'PURCHASED' })).toBe(false);
    expect(progress.shownStatus({ status: 'PURCHASED' })).toBe('REFUND_PENDING');
    expect(progress.isDone({ status: 'REFUND_PENDING' })).toBe(false);
    expect(progress.isDone({ status: 'REFUNDED' })).toBe(true);
  });

  it('is done when a refund is refused and the receipt goes back to PURCHASED', () => {
    const progress = createRefundProgress();
    progress.isDone({ status: 'REFUND_PENDING' });
    expect(progress.isDone({ status: 'PURCHASED' })).toBe(true);
    expect(progress.shownStatus({ status: 'PURCHASED' })).toBe('PURCHASED');
  });

  it('trusts a receipt already known to be pending', () => {
    const progress = createRefundProgress(true);
    expect(progress.isDone({ status: 'PURCHASED' })).toBe(true);
  });
});
