import { describe, expect, it } from 'vitest';
import { createRefundProgress, isBidSettled, showsRefundButton } from './receipt-progress.ts';

describe('isBidSettled', () => {
  it('waits for PURCHASED or FAILED, or an English LEADING', () => {
    expect(isBidSettled({ status: 'PENDING' })).toBe(false);
    expect(isBidSettled({ status: 'PURCHASED' })).toBe(true);
    expect(isBidSettled({ status: 'FAILED' })).toBe(true);
    expect(isBidSettled({ status: 'LEADING' })).toBe(true);
  });
});

describe('showsRefundButton', () => {
  it('shows it on what can be refunded, on a Dutch bid being settled, and on nothing English but a won lot', () => {
    expect(showsRefundButton({ format: 'dutch', status: 'PENDING' })).toBe(true);
    expect(showsRefundButton({ format: 'dutch', status: 'PURCHASED' })).toBe(true);
    expect(showsRefundButton({ format: 'dutch', status: 'FAILED' })).toBe(false);
    expect(showsRefundButton({ format: 'dutch', status: 'REFUNDED' })).toBe(false);
    expect(showsRefundButton({ format: 'english', status: 'PENDING' })).toBe(false);
    expect(showsRefundButton({ format: 'english', status: 'LEADING' })).toBe(false);
    expect(showsRefundButton({ format: 'english', status: 'OUTBID' })).toBe(false);
    expect(showsRefundButton({ format: 'english', status: 'WON' })).toBe(true);
    expect(showsRefundButton({ format: 'english', status: 'REFUND_PENDING' })).toBe(true);
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

describe('createRefundProgress on a won English lot', () => {
  it('reads WON as not yet pending, and as refused after REFUND_PENDING', () => {
    const progress = createRefundProgress();
    expect(progress.shownStatus({ status: 'WON' })).toBe('REFUND_PENDING');
    expect(progress.isDone({ status: 'WON' })).toBe(false);
    expect(progress.isDone({ status: 'REFUND_PENDING' })).toBe(false);
    expect(progress.isDone({ status: 'WON' })).toBe(true);
  });
});
