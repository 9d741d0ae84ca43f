/**
 * A sample of members' own event streams (GET /members/me/events, the token in the Authorization
 * header as the page sends it), open across the price drop: whether each notification arrived
 * live, once, and when the bench received it.
 */
import type { Buyer } from './seed.ts';

export interface StreamedEvent {
  readonly event: string;
  readonly id: string;
  readonly data: unknown;
  /** Epoch ms when the bench had read the event's last line. */
  readonly receivedAt: number;
}

/**
 * Server-sent events from text as it arrives, in chunks that may split lines and events anywhere.
 * `data` lines are joined with newlines and parsed as JSON (kept as text when they are not JSON);
 * comment lines (`: connected`, heartbeats) are returned apart.
 */
export class SseParser {
  private buffer = '';

  push(chunk: string, receivedAt: number): { events: StreamedEvent[]; comments: string[] } {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const events: StreamedEvent[] = [];
    const comments: string[] = [];
    let end = this.buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      for (const line of block.split('\n')) if (line.startsWith(':')) comments.push(line.slice(1).trim());
      const event = parseBlock(block, receivedAt);
      if (event !== null) events.push(event);
      end = this.buffer.indexOf('\n\n');
    }
    return { events, comments };
  }
}

function parseBlock(block: string, receivedAt: number): StreamedEvent | null {
  let event = 'message';
  let id = '';
  const data: string[] = [];
  let fields = 0;
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    fields++;
    if (name === 'event') event = value;
    else if (name === 'id') id = value;
    else if (name === 'data') data.push(value);
  }
  if (fields === 0) return null;
  const text = data.join('\n');
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text, and the checks say so
  }
  return { event, id, data: parsed, receivedAt };
}

export interface MemberStream {
  readonly memberId: string;
  /** Whether this member's alert price is reached by the drop (they should get one price_alert). */
  readonly reached: boolean;
  /** The answer's status and content type, or null when the request failed. */
  readonly status: number | null;
  readonly contentType: string | null;
  readonly error: string | null;
  readonly events: StreamedEvent[];
  /**
   * When the gateway said `: connected`: from then on it follows the member's inbox, so nothing
   * stored later is missed. null until then.
   */
  connectedAt: number | null;
}

export interface OpenStreams {
  readonly streams: readonly MemberStream[];
  close(): void;
}

/**
 * Opens one stream per member and resolves once every one has answered and said it follows the
 * inbox (or failed, or `timeoutMs` passed: the checks then name the streams that never connected).
 */
export async function openMemberStreams(
  url: string,
  members: readonly { readonly buyer: Buyer; readonly reached: boolean }[],
  timeoutMs = 10_000,
): Promise<OpenStreams> {
  const abort = new AbortController();
  const streams = await Promise.all(members.map((m) => openOne(url, m.buyer, m.reached, abort.signal)));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && streams.some((s) => s.status === 200 && s.connectedAt === null))
    await new Promise((resolve) => setTimeout(resolve, 10));
  return { streams, close: () => abort.abort() };
}

async function openOne(url: string, buyer: Buyer, reached: boolean, signal: AbortSignal): Promise<MemberStream> {
  const stream: MemberStream = {
    memberId: buyer.id,
    reached,
    status: null,
    contentType: null,
    error: null,
    events: [],
    connectedAt: null,
  };
  try {
    const response = await fetch(`${url}/members/me/events`, {
      headers: { authorization: buyer.authorization, accept: 'text/event-stream' },
      signal,
    });
    const answered = { ...stream, status: response.status, contentType: response.headers.get('content-type') };
    if (response.body !== null) void pump(response.body, answered);
    return answered;
  } catch (error) {
    return { ...stream, error: error instanceof Error ? error.message : String(error) };
  }
}

async function pump(body: ReadableStream<Uint8Array>, stream: MemberStream): Promise<void> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
    if (done) return;
    const now = Date.now();
    const { events, comments } = parser.push(decoder.decode(value, { stream: true }), now);
    stream.events.push(...events);
    if (stream.connectedAt === null && comments.includes('connected')) stream.connectedAt = now;
  }
}
