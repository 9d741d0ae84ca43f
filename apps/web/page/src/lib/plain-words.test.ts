import { describeFailure } from '@dutch/domain';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.ts';
import { describeError, describeReceiptFailure, describeReceiptStatus, describeViolation } from './plain-words.ts';

describe('plain words', () => {
  it('shows the API error message as it came', () => {
    const error = new ApiError(409, 'PRICE_ABOVE_MAX', 'The current price 90 is above your maxPrice 80.');
    expect(describeError(error)).toBe('The current price 90 is above your maxPrice 80.');
    expect(describeError(new TypeError('x is undefined'))).toMatch(/Reload/);
  });

  it('describes failure reasons with the domain, and unknown codes without hiding them', () => {
    expect(describeReceiptFailure('INSUFFICIENT_POINTS')).toBe(describeFailure('INSUFFICIENT_POINTS'));
    expect(describeReceiptFailure(undefined)).toBeNull();
    expect(describeReceiptFailure('NEW_REASON')).toContain('NEW_REASON');
  });

  it('names receipt statuses', () => {
    expect(describeReceiptStatus('REFUND_PENDING')).toBe('Refund pending');
    expect(describeReceiptStatus('PENDING')).toMatch(/^Pending/);
  });

  it('turns violations into sentences about the labelled field', () => {
    expect(describeViolation('Title', 'must not be empty')).toBe('Title must not be empty.');
    expect(describeViolation('Floor price', 'must be lower than startPrice')).toBe(
      'Floor price must be lower than the start price.',
    );
    expect(describeViolation('Duration', 'endsAt - startsAt must be at most 3600 seconds')).toBe(
      'The duration must be at most 3600 seconds.',
    );
    expect(
      describeViolation('Price drop', 'the price at the last step would be -10; give a floorPrice or a gentler drop'),
    ).toBe('The price at the last step would be -10; give a floor price or a gentler drop.');
  });
});
