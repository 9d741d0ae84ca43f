import { sleepFor } from './sleep-for.ts';
import { createSseParser, type SseMessage } from './sse-parser.ts';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

export interface SseStreamOptions {
  readonly url: string;
  /** Each attempt's headers (Authorization): asked again on every reconnect. */
  readonly headers: () => Record<string, string>;
  /** The id to resume after, sent as Last-Event-ID; null when there is nothing to resume. */
  readonly lastEventId: () => string | null;
  readonly onMessage: (message: SseMessage) => void;
  readonly onState: (state: StreamState) => void;
  /** An answer that asking again cannot change (401: the token is gone). The stream stops there. */
  readonly onRefused?: (status: number) => void;
  readonly refusedStatuses?: readonly number[];
  readonly signal: AbortSignal;
  /** Waits between attempts, the last one repeated; back to the first once a stream opened. */
  readonly delaysMs?: readonly number[];
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const DELAYS_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * Follows a Server-Sent Events stream read with fetch, which (unlike EventSource) can send an
 * Authorization header, and reconnects as EventSource would: after a drop, a network failure or a
 * 5xx, with Last-Event-ID, so the server sends exactly what was missed. Resolves when `signal`
 * aborts or the server refuses for good.
 */
export async function followSseStream(options: SseStreamOptions): Promise<void> {
  const { signal } = options;
  const delays = options.delaysMs ?? DELAYS_MS;
  const sleep = options.sleep ?? sleepFor;
  let attempt = 0;
  while (!signal.aborted) {
    options.onState(attempt === 0 ? 'connecting' : 'reconnecting');
    const result = await readOnce(options);
    if (result.refused !== null) {
      options.onRefused?.(result.refused);
      return;
    }
    if (signal.aborted) return;
    attempt = result.opened ? 1 : attempt + 1;
    options.onState('reconnecting');
    await sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 1_000, signal);
  }
}

/** One connection, read to its end: whether it opened, and a final refusal if there was one. */
async function readOnce(options: SseStreamOptions): Promise<{ opened: boolean; refused: number | null }> {
  const headers: Record<string, string> = { Accept: 'text/event-stream', ...options.headers() };
  const lastId = options.lastEventId();
  if (lastId !== null) headers['Last-Event-ID'] = lastId;
  let opened = false;
  try {
    const response = await (options.fetch ?? fetch)(options.url, { headers, signal: options.signal });
    if ((options.refusedStatuses ?? [401]).includes(response.status)) {
      await response.body?.cancel().catch(() => {});
      return { opened, refused: response.status };
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel().catch(() => {});
      return { opened, refused: null };
    }
    opened = true;
    options.onState('live');
    const feed = createSseParser(options.onMessage);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      feed(decoder.decode(value, { stream: true }));
    }
  } catch {
    // dropped, aborted or unreachable: the caller decides whether to try again
  }
  return { opened, refused: null };
}
