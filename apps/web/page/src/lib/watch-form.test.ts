import type { DutchAuctionView } from '@dutch/contract';
import { MAX_PRICE } from '@dutch/domain';
import { describe, expect, it } from 'vitest';
import { englishView } from './english-fixtures.test-util.ts';
import { describeAlertPrice, describeWatchedAuction, describeWatching, parseAlertPrice } from './watch-form.ts';

describe('the alert price field', () => {
  it('takes nothing as no alert, and whole numbers the API takes', () => {
    expect(parseAlertPrice('  ')).toEqual({ ok: true, alertPrice: null });
    expect(parseAlertPrice(' 80 ')).toEqual({ ok: true, alertPrice: 80 });
    expect(parseAlertPrice(String(MAX_PRICE))).toEqual({ ok: true, alertPrice: MAX_PRICE });
  });

  it.each(['0', '-5', '2.5', '1e3', 'abc', String(MAX_PRICE + 1)])('refuses %s with a sentence', (text) => {
    const parsed = parseAlertPrice(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^The alert price must be/);
  });

  it('says when the alert comes at once, never, or on the way down', () => {
    const prices = { current: 100, lowest: 40 };
    expect(describeAlertPrice(null, prices)).toBe('');
    expect(describeAlertPrice(100, prices)).toContain('comes as soon as you save it');
    expect(describeAlertPrice(39, prices)).toContain('its lowest is 40 points');
    expect(describeAlertPrice(40, prices)).toBe('We tell you when the price drops to 40 points or below.');
    // The watch's own alert price: the status line says it already.
    expect(describeAlertPrice(100, prices, 100)).toBe('');
  });

  it('says what a watch will bring, per format', () => {
    expect(describeWatching(null, false)).toBe('You are not watching this auction.');
    expect(describeWatching({ alertPrice: 80 }, false)).toContain('reaches 80 points');
    expect(describeWatching({ alertPrice: null }, false)).toContain('Add an alert price');
    expect(describeWatching({ alertPrice: null }, true)).toContain('when a minute is left');
  });
});

describe('a watched auction in the account list', () => {
  const dutch: DutchAuctionView = {
    ...englishView(),
    format: 'dutch',
    pricing: 'pay_as_bid',
    startPrice: 1_200,
    floorPrice: null,
    priceDrop: { kind: 'constant', amount: 100 },
    dropIntervalSeconds: 1,
    status: 'running',
    currentPrice: 1_100,
    nextPrice: 1_000,
    nextDropAt: null,
    perBuyerLimit: 1,
    showStock: false,
    clearingPrice: null,
  };

  it('says the Dutch price when read, and the alert', () => {
    expect(describeWatchedAuction({ alertPrice: 900, auction: dutch })).toBe(
      'Dutch · Live · 1,100 points · alert at 900 points',
    );
    expect(describeWatchedAuction({ alertPrice: null, auction: { ...dutch, status: 'scheduled' } })).toBe(
      'Dutch · Starts soon · 1,100 points · no price alert',
    );
  });

  it('says the English high bid, or where bidding opens', () => {
    expect(describeWatchedAuction({ alertPrice: null, auction: englishView() })).toBe(
      'English · Starts soon · opens at 100 points',
    );
    expect(
      describeWatchedAuction({ alertPrice: null, auction: englishView({ status: 'running', highBid: 150 }) }),
    ).toBe('English · Live · high bid 150 points');
  });
});
