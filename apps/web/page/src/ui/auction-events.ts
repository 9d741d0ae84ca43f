import { auctionEventsUrl } from '../api/endpoints.ts';
import { followSseStream, type StreamState } from '../lib/sse-stream.ts';

export type ConnectionState = StreamState;

/** An event of the auction's feed, as the page's state for its format reads them. */
export interface FeedEvent {
  readonly type: string;
  readonly data: unknown;
}

export interface AuctionEventHandlers<E extends FeedEvent> {
  /** The event types this page follows (each format has its own); others are ignored. */
  readonly types: readonly E['type'][];
  onEvent(event: E): void;
  /** The seller edited the auction: the page should load it again. */
  onChanged(): void;
  onConnection(state: ConnectionState): void;
}

/** EventSource retries dropped connections itself, but gives up for good on an HTTP error (e.g. 503); fetch never retries. */
const REOPEN_AFTER_MS = 3_000;

/**
 * Follows GET /auctions/:id/events until `signal` aborts. With a token the stream is read with
 * fetch, which can send Authorization (EventSource cannot), so a seller's own feed carries the
 * stock their snapshot shows; without one, or if the token is refused, it is anonymous.
 */
export function followAuctionEvents<E extends FeedEvent>(
  id: string,
  handlers: AuctionEventHandlers<E>,
  signal: AbortSignal,
  token: string | null = null,
): void {
  if (token === null) followAnonymously(id, handlers, signal);
  else void followAs(token, id, handlers, signal);
}

function dispatch<E extends FeedEvent>(type: string, text: string, handlers: AuctionEventHandlers<E>): void {
  if (type === 'changed') {
    handlers.onChanged();
    return;
  }
  if (!(handlers.types as readonly string[]).includes(type)) return;
  const data = parse(text);
  if (data !== undefined) handlers.onEvent({ type, data } as E);
}

function followAnonymously<E extends FeedEvent>(
  id: string,
  handlers: AuctionEventHandlers<E>,
  signal: AbortSignal,
): void {
  let source: EventSource | null = null;
  let reopen: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    if (signal.aborted) return;
    handlers.onConnection('connecting');
    const current = new EventSource(auctionEventsUrl(id));
    source = current;
    for (const type of [...handlers.types, 'changed']) {
      current.addEventListener(type, (message) => dispatch(type, (message as MessageEvent<string>).data, handlers));
    }
    current.addEventListener('open', () => handlers.onConnection('live'));
    current.addEventListener('error', () => {
      handlers.onConnection('reconnecting');
      if (current.readyState === EventSource.CLOSED) reopen = setTimeout(open, REOPEN_AFTER_MS);
    });
  };

  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(reopen);
      source?.close();
    },
    { once: true },
  );
  open();
}

/** The same stream read with fetch and a bearer token, reopened (with Last-Event-ID) when it drops. */
function followAs<E extends FeedEvent>(
  token: string,
  id: string,
  handlers: AuctionEventHandlers<E>,
  signal: AbortSignal,
): void {
  let lastId: string | null = null;
  void followSseStream({
    url: auctionEventsUrl(id),
    headers: () => ({ Authorization: `Bearer ${token}` }),
    lastEventId: () => lastId,
    onMessage: (message) => {
      lastId = message.id ?? lastId;
      dispatch(message.event, message.data, handlers);
    },
    onState: (state) => handlers.onConnection(state),
    // A token the server no longer accepts still sees what everyone sees.
    onRefused: () => followAnonymously(id, handlers, signal),
    signal,
    delaysMs: [REOPEN_AFTER_MS],
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
