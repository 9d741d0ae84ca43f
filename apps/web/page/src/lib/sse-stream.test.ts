import { describe, expect, it } from 'vitest';
import type { SseMessage } from './sse-parser.ts';
import { followSseStream, type StreamState } from './sse-stream.ts';

type Answer = Response | Error;

/** A server scripted one answer per connection; records what each request sent. */
function scriptedServer(answers: Answer[]) {
  const requests: Record<string, string>[] = [];
  const fetcher = (async (_url: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ ...(init?.headers as Record<string, string>) });
    const answer = answers.shift();
    if (answer === undefined) throw new Error('no more answers');
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof fetch;
  return { requests, fetcher };
}

function stream(text: string): Response {
  return new Response(text, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

async function follow(answers: Answer[], stopAfter: number) {
  const server = scriptedServer(answers);
  const controller = new AbortController();
  const messages: SseMessage[] = [];
  const states: StreamState[] = [];
  const waits: number[] = [];
  const refused: number[] = [];
  let lastId: string | null = null;
  await followSseStream({
    url: '/members/me/events',
    headers: () => ({ Authorization: 'Bearer t1' }),
    lastEventId: () => lastId,
    onMessage: (message) => {
      messages.push(message);
      lastId = message.id;
    },
    onState: (state) => states.push(state),
    onRefused: (status) => refused.push(status),
    signal: controller.signal,
    fetch: server.fetcher,
    sleep: async (ms) => {
      waits.push(ms);
      if (server.requests.length >= stopAfter) controller.abort();
    },
  });
  return { requests: server.requests, messages, states, waits, refused };
}

describe('followSseStream', () => {
  it('sends the token in a header, and resumes after the last id with Last-Event-ID', async () => {
    const result = await follow(
      [
        stream('event: notification\nid: 7\ndata: {"n":7}\n\n: heartbeat\n\n'),
        stream('event: notification\nid: 9\ndata: {"n":9}\n\n'),
      ],
      2,
    );
    expect(result.requests).toEqual([
      { Accept: 'text/event-stream', Authorization: 'Bearer t1' },
      { Accept: 'text/event-stream', Authorization: 'Bearer t1', 'Last-Event-ID': '7' },
    ]);
    expect(result.messages.map((m) => [m.event, m.id, m.data])).toEqual([
      ['notification', '7', '{"n":7}'],
      ['notification', '9', '{"n":9}'],
    ]);
    expect(result.states).toEqual(['connecting', 'live', 'reconnecting', 'reconnecting', 'live', 'reconnecting']);
  });

  it('backs off while the server is away, and starts over once a stream opened', async () => {
    const result = await follow(
      [
        new TypeError('network'),
        new Response('busy', { status: 503 }),
        new Response('slow down', { status: 429 }),
        stream(''),
        new TypeError('network'),
      ],
      5,
    );
    expect(result.waits).toEqual([1_000, 2_000, 5_000, 1_000, 2_000]);
  });

  it('stops for good on a refusal retrying cannot change', async () => {
    const result = await follow([new Response('{}', { status: 401 })], 10);
    expect(result.refused).toEqual([401]);
    expect(result.requests).toHaveLength(1);
    expect(result.waits).toEqual([]);
  });
});
