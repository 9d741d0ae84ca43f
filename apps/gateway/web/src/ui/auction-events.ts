import { auctionEventsUrl } from '../api/endpoints.ts';
import type { LiveEvent } from '../lib/live-auction.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface AuctionEventHandlers {
  onEvent(event: LiveEvent): void;
  /** The seller edited the auction: the page should load it again. */
  onChanged(): void;
  onConnection(state: ConnectionState): void;
}

const LIVE_EVENTS: readonly LiveEvent['type'][] = ['snapshot', 'stock', 'status', 'price'];
/** EventSource retries dropped connections itself, but gives up for good on an HTTP error (e.g. 503). */
const REOPEN_AFTER_MS = 3_000;

/** Follows GET /auctions/:id/events until `signal` aborts. */
export function followAuctionEvents(id: string, handlers: AuctionEventHandlers, signal: AbortSignal): void {
  let source: EventSource | null = null;
  let reopen: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    if (signal.aborted) return;
    handlers.onConnection('connecting');
    const current = new EventSource(auctionEventsUrl(id));
    source = current;
    for (const type of LIVE_EVENTS) {
      current.addEventListener(type, (message) => {
        const data = parse((message as MessageEvent<string>).data);
        if (data !== undefined) handlers.onEvent({ type, data } as LiveEvent);
      });
    }
    current.addEventListener('changed', () => handlers.onChanged());
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

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
