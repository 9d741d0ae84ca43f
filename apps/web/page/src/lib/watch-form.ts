import { MAX_PRICE } from '@dutch/domain';
import type { WatchItem } from '../api/types.ts';
import { describeAuctionStatus } from './auction-words.ts';
import { formatPoints } from './format.ts';

export type AlertPriceInput =
  | { readonly ok: true; readonly alertPrice: number | null }
  | { readonly ok: false; readonly message: string };

/** The alert price field: empty means "no price alert"; else a whole number of points the API takes. */
export function parseAlertPrice(text: string): AlertPriceInput {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, alertPrice: null };
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value < 1) {
    return { ok: false, message: 'The alert price must be a whole number of points, 1 or more.' };
  }
  if (value > MAX_PRICE) {
    return { ok: false, message: `The alert price must be at most ${formatPoints(MAX_PRICE)} points.` };
  }
  return { ok: true, alertPrice: value };
}

/**
 * What an alert price will do, said before it is saved: at or above the price now it comes at
 * once; below the lowest price the schedule reaches it never comes. Nothing for the price saved.
 */
export function describeAlertPrice(
  alertPrice: number | null,
  prices: { current: number; lowest: number },
  saved: number | null = null,
): string {
  if (alertPrice === null || alertPrice === saved) return '';
  if (alertPrice >= prices.current) return 'The price is already there: the alert comes as soon as you save it.';
  if (alertPrice < prices.lowest) {
    return `The price never gets that low (its lowest is ${formatPoints(prices.lowest)} points): this alert would never come.`;
  }
  return `We tell you when the price drops to ${formatPoints(alertPrice)} points or below.`;
}

/** The watch box's status line. */
export function describeWatching(watch: { readonly alertPrice: number | null } | null, english: boolean): string {
  if (watch === null) return 'You are not watching this auction.';
  if (english) return 'Watching: we tell you when it starts and when a minute is left.';
  if (watch.alertPrice === null)
    return 'Watching: we tell you when it starts. Add an alert price to hear when it drops.';
  return `Watching: we tell you when it starts and when the price reaches ${formatPoints(watch.alertPrice)} points.`;
}

/** A watched auction in the account's list, as it was when the list was read. */
export function describeWatchedAuction(item: Pick<WatchItem, 'alertPrice' | 'auction'>): string {
  const { auction } = item;
  const status = describeAuctionStatus(auction.status);
  if (auction.format === 'english') {
    const price =
      auction.highBid === null
        ? `opens at ${formatPoints(auction.minNextBid)}`
        : `high bid ${formatPoints(auction.highBid)}`;
    return `English · ${status} · ${price} points`;
  }
  const alert = item.alertPrice === null ? 'no price alert' : `alert at ${formatPoints(item.alertPrice)} points`;
  return `Dutch · ${status} · ${formatPoints(auction.currentPrice)} points · ${alert}`;
}
