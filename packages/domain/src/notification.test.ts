import { describe, expect, it } from 'vitest';
import {
  auctionDedupeKey,
  NOTIFICATION_KINDS,
  type NotificationDraft,
  RECEIPT_NOTIFICATION_STATUSES,
  rebateDedupeKey,
  receiptDedupeKey,
  refundFailedDedupeKey,
  uniqueDrafts,
  WATCH_ALERT_KINDS,
} from './notification.ts';

describe('notification kinds', () => {
  it('are the contract kinds, frozen (the database check is built from them)', () => {
    expect(NOTIFICATION_KINDS).toEqual(['receipt', 'rebate', 'auction_starting', 'price_alert', 'ending_soon', 'sold']);
    expect(Object.isFrozen(NOTIFICATION_KINDS)).toBe(true);
    expect(Object.isFrozen(WATCH_ALERT_KINDS)).toBe(true);
    expect(Object.isFrozen(RECEIPT_NOTIFICATION_STATUSES)).toBe(true);
    for (const kind of WATCH_ALERT_KINDS) expect(NOTIFICATION_KINDS).toContain(kind);
  });
});

describe('dedupe keys', () => {
  it('follow the design, one shape per event', () => {
    expect(receiptDedupeKey('r1', 'PURCHASED')).toBe('receipt:r1:PURCHASED');
    expect(receiptDedupeKey('r1', 'OUTBID')).toBe('receipt:r1:OUTBID');
    expect(refundFailedDedupeKey('r1', 'q7')).toBe('receipt:r1:REFUND_FAILED:q7');
    expect(rebateDedupeKey('r1')).toBe('rebate:r1');
    expect(auctionDedupeKey('sold', 'a1')).toBe('sold:a1');
    expect(auctionDedupeKey('auction_starting', 'a1')).toBe('auction_starting:a1');
    expect(auctionDedupeKey('price_alert', 'a1')).toBe('price_alert:a1');
    expect(auctionDedupeKey('ending_soon', 'a1')).toBe('ending_soon:a1');
  });
});

describe('uniqueDrafts', () => {
  const draft = (memberId: string, dedupeKey: string, title: string): NotificationDraft => ({
    memberId,
    kind: 'sold',
    auctionId: 'a',
    receiptId: null,
    data: { title },
    dedupeKey,
  });

  it('keeps the first draft per (member, key) and every other draft, in order', () => {
    const drafts = [
      draft('m', 'k', 'first'),
      draft('n', 'k', 'other member'),
      draft('m', 'k', 'again'),
      draft('m', 'j', 'j'),
    ];
    expect(uniqueDrafts(drafts).map((d) => d.data.title)).toEqual(['first', 'other member', 'j']);
  });
});
