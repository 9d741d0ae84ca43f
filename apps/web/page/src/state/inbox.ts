import { fetchNotifications, MEMBER_EVENTS_PATH, markNotificationsRead } from '../api/inbox-endpoints.ts';
import type { NotificationItem } from '../api/types.ts';
import {
  EMPTY_INBOX,
  type Inbox,
  newestId,
  withArrival,
  withFirstPage,
  withOlderPage,
  withReadUpTo,
} from '../lib/inbox.ts';
import { describeError } from '../lib/plain-words.ts';
import { followSseStream, type StreamState } from '../lib/sse-stream.ts';
import type { Session } from './session.ts';
import { createStore, type Store } from './store.ts';

export interface InboxView extends Inbox {
  readonly signedIn: boolean;
  readonly connection: StreamState | 'off';
  readonly problem: string | null;
}

export interface InboxStore extends Store<InboxView> {
  /** Marks read every notification up to the newest shown. */
  markAllRead(): Promise<void>;
  loadOlder(): Promise<void>;
  /** Each notification the live stream brings, once. */
  onArrival(listener: (item: NotificationItem) => void, signal: AbortSignal): void;
}

const PAGE_SIZE = 20;
/** Kinds that moved the member's points (a purchase, a refund, a rebate, a sale): the header reloads them. */
const MOVES_POINTS = new Set(['receipt', 'rebate', 'sold']);
const SIGNED_OUT: InboxView = { ...EMPTY_INBOX, signedIn: false, connection: 'off', problem: null };

/**
 * The member's notifications for the whole page: the newest page, then the live stream
 * (GET /members/me/events, read with fetch so the token travels in the Authorization header)
 * resuming after that page, so nothing stored in between is missed. A reconnect sends the last
 * id received as Last-Event-ID, and the server sends exactly what was missed. A new token starts over.
 */
export function startInbox(session: Session, signal: AbortSignal): InboxStore {
  const store = createStore<InboxView>(SIGNED_OUT);
  const arrivals = createStore<NotificationItem | null>(null);
  let run: { token: string; controller: AbortController } | null = null;
  // Ids the stream delivered while each first-page read was out: that page may not count them.
  const reading = new Set<Set<string>>();

  const update = (token: string, change: (view: InboxView) => InboxView) => {
    if (run?.token === token) store.set(change(store.get()));
  };
  const loadFirst = async (token: string, runSignal: AbortSignal) => {
    const during = new Set<string>();
    reading.add(during);
    try {
      const page = await fetchNotifications(token, { limit: PAGE_SIZE, signal: runSignal });
      update(token, (view) => ({ ...view, ...withFirstPage(view, page, during), problem: null }));
    } catch (error) {
      if (!runSignal.aborted) update(token, (view) => ({ ...view, problem: describeError(error) }));
    } finally {
      reading.delete(during);
    }
  };
  const onItem = (token: string, item: NotificationItem) => {
    for (const during of reading) during.add(item.id);
    const before = store.get().items.length;
    update(token, (view) => ({ ...view, ...withArrival(view, item) }));
    if (store.get().items.length === before) return;
    arrivals.set(item);
    if (MOVES_POINTS.has(item.kind)) void session.refresh();
  };

  const follow = (token: string, runSignal: AbortSignal) => {
    let lastSeen: string | null = null;
    let resumedFrom: string | null = null;
    void followSseStream({
      url: MEMBER_EVENTS_PATH,
      headers: () => ({ Authorization: `Bearer ${token}` }),
      // The last id the stream sent; before any, the newest of the first page; "0" (everything)
      // when that page was empty. With none, the stream starts at its own newest.
      lastEventId: () => {
        const view = store.get();
        resumedFrom = lastSeen ?? newestId(view) ?? (view.loaded ? '0' : null);
        return resumedFrom;
      },
      onMessage: (message) => {
        if (message.event !== 'notification') return;
        const item = parseItem(message.data);
        if (item === null) return;
        lastSeen = message.id ?? item.id;
        onItem(token, item);
      },
      onState: (connection) => {
        update(token, (view) => ({ ...view, connection }));
        // Nothing to resume from (the first page failed): read it now the stream follows the inbox.
        if (connection === 'live' && resumedFrom === null) void loadFirst(token, runSignal);
      },
      // The token was revoked: the session finds out and signs the page out, which stops this.
      onRefused: () => void session.refresh(),
      signal: runSignal,
    });
  };

  const restart = (token: string | null) => {
    if (run?.token === token) return;
    run?.controller.abort();
    run = null;
    store.set(SIGNED_OUT);
    if (token === null || signal.aborted) return;
    const controller = new AbortController();
    run = { token, controller };
    store.set({ ...SIGNED_OUT, signedIn: true, connection: 'connecting' });
    void loadFirst(token, controller.signal).then(() => {
      if (!controller.signal.aborted) follow(token, controller.signal);
    });
  };

  session.subscribe((state) => restart(state.token), signal);
  signal.addEventListener('abort', () => run?.controller.abort(), { once: true });
  restart(session.get().token);

  return {
    ...store,
    async markAllRead() {
      const current = run;
      const upTo = newestId(store.get());
      if (current === null || upTo === null) return;
      try {
        const { unreadCount } = await markNotificationsRead(current.token, upTo);
        update(current.token, (view) => ({
          ...view,
          ...withReadUpTo(view, upTo, new Date().toISOString(), unreadCount),
        }));
        // The count is the server's at that moment; a notification stored just before it and
        // delivered just after would be counted twice: the first page settles the count again.
        await loadFirst(current.token, current.controller.signal);
      } catch (error) {
        update(current.token, (view) => ({ ...view, problem: describeError(error) }));
      }
    },
    async loadOlder() {
      const current = run;
      const cursor = store.get().nextCursor;
      if (current === null || cursor === null) return;
      try {
        const page = await fetchNotifications(current.token, {
          cursor,
          limit: PAGE_SIZE,
          signal: current.controller.signal,
        });
        update(current.token, (view) => ({ ...view, ...withOlderPage(view, page) }));
      } catch (error) {
        if (!current.controller.signal.aborted)
          update(current.token, (view) => ({ ...view, problem: describeError(error) }));
      }
    },
    onArrival(listener, listenerSignal) {
      arrivals.subscribe((item) => {
        if (item !== null) listener(item);
      }, listenerSignal);
    },
  };
}

/** A notification event's data; anything else (a newer server's event) is skipped. */
function parseItem(text: string): NotificationItem | null {
  try {
    const value = JSON.parse(text) as Partial<NotificationItem> | null;
    if (value === null || typeof value.id !== 'string' || typeof value.message !== 'string') return null;
    return value as NotificationItem;
  } catch {
    return null;
  }
}
