import type { NotificationItem, NotificationPage } from '../api/types.ts';

/** The member's notifications as the page holds them: newest first, each id once. */
export interface Inbox {
  readonly items: readonly NotificationItem[];
  readonly unreadCount: number;
  /** The cursor of the next (older) page; null when the oldest is shown. */
  readonly nextCursor: string | null;
  readonly loaded: boolean;
}

export const EMPTY_INBOX: Inbox = Object.freeze({ items: [], unreadCount: 0, nextCursor: null, loaded: false });

/** Ids are bigints written as decimal strings: longer is larger, then digit by digit. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function newestId(inbox: Inbox): string | null {
  return inbox.items[0]?.id ?? null;
}

function isUnread(item: NotificationItem): boolean {
  return item.readAt === null;
}

/** Both lists merged, newest first, an id once (the later reading wins). */
function mergeItems(held: readonly NotificationItem[], fresh: readonly NotificationItem[]): NotificationItem[] {
  const byId = new Map<string, NotificationItem>();
  for (const item of held) byId.set(item.id, item);
  for (const item of fresh) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => compareIds(b.id, a.id));
}

/**
 * The newest page, read while the live stream may be delivering. The page's `unreadCount` counts
 * what was stored when it was read; a notification the stream delivered while the page was being
 * read (`arrivedDuring`) and that the page does not list was stored after it, so it is added.
 * (Ids cannot tell this: they are taken at insert, and transactions commit in another order.)
 */
export function withFirstPage(
  inbox: Inbox,
  page: NotificationPage,
  arrivedDuring: ReadonlySet<string> = new Set(),
): Inbox {
  const listed = new Set(page.items.map((item) => item.id));
  const later = inbox.items.filter((item) => isUnread(item) && arrivedDuring.has(item.id) && !listed.has(item.id));
  // Older pages already shown stay shown, and "Show older" goes on from the oldest of them.
  const keepsFrontier = inbox.loaded && inbox.items.length > 0;
  return {
    items: mergeItems(inbox.items, page.items),
    unreadCount: page.unreadCount + later.length,
    nextCursor: keepsFrontier ? inbox.nextCursor : page.nextCursor,
    loaded: true,
  };
}

/** An older page ("Show older"): appended; the unread count is unchanged. */
export function withOlderPage(inbox: Inbox, page: NotificationPage): Inbox {
  return { ...inbox, items: mergeItems(inbox.items, page.items), nextCursor: page.nextCursor };
}

/** One notification from the live stream: counted once, however often it is delivered. */
export function withArrival(inbox: Inbox, item: NotificationItem): Inbox {
  if (inbox.items.some((held) => held.id === item.id)) return inbox;
  return {
    ...inbox,
    items: mergeItems(inbox.items, [item]),
    unreadCount: inbox.unreadCount + (isUnread(item) ? 1 : 0),
  };
}

/** The server marked every notification up to `upTo` read at `readAt`, and says how many are left unread. */
export function withReadUpTo(inbox: Inbox, upTo: string, readAt: string, unreadCount: number): Inbox {
  return {
    ...inbox,
    items: inbox.items.map((item) => (isUnread(item) && compareIds(item.id, upTo) <= 0 ? { ...item, readAt } : item)),
    unreadCount,
  };
}

/** The bell's words, for screen readers: the count alone says nothing to them. */
export function describeUnread(count: number): string {
  if (count === 0) return 'Notifications, none unread';
  return `Notifications, ${count} unread`;
}

/** The badge: big numbers would not fit the bell. */
export function badgeText(count: number): string {
  if (count === 0) return '';
  return count > 99 ? '99+' : String(count);
}
