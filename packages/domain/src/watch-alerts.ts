import type { Millis, PriceSchedule } from './auction.ts';
import { englishStatusAt } from './english.ts';
import { auctionDedupeKey, type NotificationDraft, type WatchAlertKind } from './notification.ts';
import { priceAt } from './price-schedule.ts';
import { statusAt } from './status.ts';

/** An English auction's `ending_soon` is due this long before its current end. */
export const ENDING_SOON_MS = 60_000;

/** What the alert rules read of a watch. */
export interface WatchTerms {
  readonly createdAt: Millis;
  /** Dutch only: alert once the price is at or below this. null: no price alert. */
  readonly alertPrice: number | null;
}

/** What the alert rules read of the watched auction. A closed auction has nothing due. */
export type WatchedAuction =
  | (PriceSchedule & {
      readonly format: 'dutch';
      /** Units left; only whether it is 0 matters (sold out: no price alert), so a viewer without the figure may pass 1 while running. */
      readonly stock: number;
      readonly closedAt: Millis | null;
    })
  | {
      readonly format: 'english';
      readonly startsAt: Millis;
      /** The CURRENT end, soft-close extensions included. */
      readonly endsAt: Millis;
      readonly closedAt: Millis | null;
    };

/**
 * Which time-driven alerts are due for a watch at `now`, in WATCH_ALERT_KINDS order. Due alerts
 * stay due while their condition holds; the dedupe key stores each once. The SQL scheduler
 * (insertDueWatchNotifications) mirrors these rules and is tested against them.
 * - auction_starting: the watch was made before the start, and the auction has started but not ended.
 * - price_alert: Dutch, running (started, not ended, not sold out), alertPrice set, priceAt(now) <= alertPrice.
 * - ending_soon: English, running, now >= current end - ENDING_SOON_MS.
 */
export function dueWatchAlerts(watch: WatchTerms, auction: WatchedAuction, now: Millis): WatchAlertKind[] {
  if (auction.closedAt !== null) return [];
  const running =
    auction.format === 'dutch'
      ? statusAt(auction, now, auction.stock) === 'running'
      : englishStatusAt(auction, auction.endsAt, now) === 'running';
  const started = now >= auction.startsAt && now < auction.endsAt;
  const due: WatchAlertKind[] = [];
  if (started && watch.createdAt < auction.startsAt) due.push('auction_starting');
  if (auction.format === 'dutch' && running && watch.alertPrice !== null && priceAt(auction, now) <= watch.alertPrice) {
    due.push('price_alert');
  }
  if (auction.format === 'english' && running && now >= auction.endsAt - ENDING_SOON_MS) due.push('ending_soon');
  return due;
}

/**
 * The drafts of the alerts due at `now` (what the scheduler stores, for tests and checks against it).
 * Data: auction_starting {title}; price_alert {title, price: priceAt(now), alertPrice}; ending_soon {title, endsAt}.
 */
export function notificationsOfWatch(
  watch: WatchTerms & { readonly memberId: string },
  auction: WatchedAuction & { readonly id: string; readonly title: string },
  now: Millis,
): NotificationDraft[] {
  return dueWatchAlerts(watch, auction, now).map((kind) => ({
    memberId: watch.memberId,
    kind,
    auctionId: auction.id,
    receiptId: null,
    data: alertData(kind, watch, auction, now),
    dedupeKey: auctionDedupeKey(kind, auction.id),
  }));
}

function alertData(
  kind: WatchAlertKind,
  watch: WatchTerms,
  auction: WatchedAuction & { readonly title: string },
  now: Millis,
): NotificationDraft['data'] {
  if (kind === 'price_alert' && auction.format === 'dutch') {
    return { title: auction.title, price: priceAt(auction, now), alertPrice: watch.alertPrice };
  }
  if (kind === 'ending_soon') return { title: auction.title, endsAt: auction.endsAt };
  return { title: auction.title };
}
