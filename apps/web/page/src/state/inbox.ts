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

/** One token's inbox: its reads, its stream, and the changes it makes to the shared store while it is current. */
class InboxRun {
  readonly controller = new AbortController();
  /** Ids the stream delivered while each first-page read was out: that page may not count them. */
  private readonly reading = new Set<Set<string>>();
  /** The last id the stream sent: where a reconnect resumes. */
  private lastSeen: string | null = null;

  constructor(
    readonly token: string,
    private readonly store: Store<InboxView>,
    private readonly onNew: (item: NotificationItem) => void,
    private readonly onRefused: () => void,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private update(change: (view: InboxView) => InboxView): void {
    if (!this.signal.aborted) this.store.set(change(this.store.get()));
  }

  private fail(error: unknown): void {
    if (!this.signal.aborted) this.update((view) => ({ ...view, problem: describeError(error) }));
  }

  async loadFirst(): Promise<void> {
    const during = new Set<string>();
    this.reading.add(during);
    try {
      const page = await fetchNotifications(this.token, { limit: PAGE_SIZE, signal: this.signal });
      this.update((view) => ({ ...view, ...withFirstPage(view, page, during), problem: null }));
    } catch (error) {
      this.fail(error);
    } finally {
      this.reading.delete(during);
    }
  }

  async loadOlder(): Promise<void> {
    const cursor = this.store.get().nextCursor;
    if (cursor === null) return;
    try {
      const page = await fetchNotifications(this.token, { cursor, limit: PAGE_SIZE, signal: this.signal });
      this.update((view) => ({ ...view, ...withOlderPage(view, page) }));
    } catch (error) {
      this.fail(error);
    }
  }

  async markAllRead(): Promise<void> {
    const upTo = newestId(this.store.get());
    if (upTo === null) return;
    try {
      const { unreadCount } = await markNotificationsRead(this.token, upTo);
      const readAt = new Date().toISOString();
      this.update((view) => ({ ...view, ...withReadUpTo(view, upTo, readAt, unreadCount) }));
      // The count is the server's at that moment; a notification stored just before it and
      // delivered just after would be counted twice: the first page settles the count again.
      await this.loadFirst();
    } catch (error) {
      this.fail(error);
    }
  }

  private receive(item: NotificationItem, id: string | null): void {
    this.lastSeen = id ?? item.id;
    for (const during of this.reading) during.add(item.id);
    const before = this.store.get().items.length;
    this.update((view) => ({ ...view, ...withArrival(view, item) }));
    if (this.store.get().items.length > before) this.onNew(item);
  }

  /**
   * The live stream, resuming after the last id it sent; before any, after the newest of the
   * first page; "0" (everything) when that page was empty. With none (the first page failed), the
   * stream starts at its own newest and the first page is read once it follows the inbox.
   */
  follow(): void {
    let resumedFrom: string | null = null;
    void followSseStream({
      url: MEMBER_EVENTS_PATH,
      headers: () => ({ Authorization: `Bearer ${this.token}` }),
      lastEventId: () => {
        const view = this.store.get();
        resumedFrom = this.lastSeen ?? newestId(view) ?? (view.loaded ? '0' : null);
        return resumedFrom;
      },
      onMessage: (message) => {
        const item = message.event === 'notification' ? parseItem(message.data) : null;
        if (item !== null) this.receive(item, message.id);
      },
      onState: (connection) => {
        this.update((view) => ({ ...view, connection }));
        if (connection === 'live' && resumedFrom === null) void this.loadFirst();
      },
      onRefused: this.onRefused,
      signal: this.signal,
    });
  }
}

/**
 * The member's notifications for the whole page: the newest page, then the live stream
 * (GET /members/me/events, read with fetch so the token travels in the Authorization header)
 * resuming after that page, so nothing stored in between is missed. A reconnect sends the last
 * id received as Last-Event-ID, and the server sends exactly what was missed. A new token starts over.
 */
export function startInbox(session: Session, signal: AbortSignal): InboxStore {
  const store = createStore<InboxView>(SIGNED_OUT);
  const arrivals = createStore<NotificationItem | null>(null);
  let run: InboxRun | null = null;

  const onNew = (item: NotificationItem) => {
    arrivals.set(item);
    if (MOVES_POINTS.has(item.kind)) void session.refresh();
  };
  // The token was revoked: the session finds out and signs the page out, which stops the run.
  const onRefused = () => void session.refresh();
  const restart = (token: string | null) => {
    if (run?.token === token) return;
    run?.controller.abort();
    run = null;
    store.set(SIGNED_OUT);
    if (token === null || signal.aborted) return;
    const current = new InboxRun(token, store, onNew, onRefused);
    run = current;
    store.set({ ...SIGNED_OUT, signedIn: true, connection: 'connecting' });
    void current.loadFirst().then(() => {
      if (!current.signal.aborted) current.follow();
    });
  };

  session.subscribe((state) => restart(state.token), signal);
  signal.addEventListener('abort', () => run?.controller.abort(), { once: true });
  restart(session.get().token);
  return {
    ...store,
    markAllRead: async () => run?.markAllRead(),
    loadOlder: async () => run?.loadOlder(),
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
