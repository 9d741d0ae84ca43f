import type { Page } from '@dutch/contract';
import { requestJson } from './http.ts';
import type { NotificationPage, WatchItem, WatchSet } from './types.ts';

/** The member's watches and notifications (issue 13): always with the member's token. */

/** Watches the auction, or changes the alert price of a watch (null: no price alert). */
export function watchAuction(token: string, auctionId: string, alertPrice: number | null): Promise<WatchSet> {
  return requestJson(`/auctions/${encodeURIComponent(auctionId)}/watch`, {
    method: 'PUT',
    token,
    body: alertPrice === null ? {} : { alertPrice },
  });
}

export function unwatchAuction(token: string, auctionId: string): Promise<void> {
  return requestJson(`/auctions/${encodeURIComponent(auctionId)}/watch`, { method: 'DELETE', token });
}

export function fetchWatches(
  token: string,
  options: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {},
): Promise<Page<WatchItem>> {
  const query = new URLSearchParams({ limit: String(options.limit ?? 100) });
  if (options.cursor) query.set('cursor', options.cursor);
  return requestJson(`/members/me/watches?${query}`, { token, signal: options.signal });
}

/** Newest first, with the unread count. */
export function fetchNotifications(
  token: string,
  options: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {},
): Promise<NotificationPage> {
  const query = new URLSearchParams({ limit: String(options.limit ?? 20) });
  if (options.cursor) query.set('cursor', options.cursor);
  return requestJson(`/members/me/notifications?${query}`, { token, signal: options.signal });
}

/** Marks the member's notifications up to `upTo` (an id) read; answers how many are still unread. */
export function markNotificationsRead(token: string, upTo: string): Promise<{ unreadCount: number }> {
  return requestJson('/members/me/notifications/read', { method: 'POST', token, body: { upTo } });
}

/** The member's SSE: read with fetch, since the token goes in the Authorization header (never in a URL). */
export const MEMBER_EVENTS_PATH = '/members/me/events';
