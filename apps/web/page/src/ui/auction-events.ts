import { auctionEventsUrl } from '../api/endpoints.ts';
import { createSseParser } from '../lib/sse-parser.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

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
async function followAs<E extends FeedEvent>(
  token: string,
  id: string,
  handlers: AuctionEventHandlers<E>,
  signal: AbortSignal,
) {
  let lastId: string | null = null;
  while (!signal.aborted) {
    handlers.onConnection('connecting');
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${token}` };
      if (lastId !== null) headers['Last-Event-ID'] = lastId;
      const response = await fetch(auctionEventsUrl(id), { headers, signal });
      if (response.status === 401) {
        followAnonymously(id, handlers, signal);
        return;
      }
      if (response.ok && response.body !== null) {
        handlers.onConnection('live');
        const feed = createSseParser((message) => {
          lastId = message.id ?? lastId;
          dispatch(message.event, message.data, handlers);
        });
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          feed(decoder.decode(value, { stream: true }));
        }
      }
    } catch {
      // dropped or refused: reopen below, unless the page is gone
    }
    if (signal.aborted) return;
    handlers.onConnection('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, REOPEN_AFTER_MS));
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
