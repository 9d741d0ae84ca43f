import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse-parser.ts';

function parse(...chunks: string[]): SseMessage[] {
  const messages: SseMessage[] = [];
  const feed = createSseParser((message) => messages.push(message));
  for (const chunk of chunks) feed(chunk);
  return messages;
}

describe('createSseParser', () => {
  it('reads events, ids and data, skipping comments', () => {
    expect(
      parse('event: snapshot\ndata: {"a":1}\nid: 1-1\n\n: heartbeat\n\nevent: stock\ndata: {"stock":3}\nid: 1-2\n\n'),
    ).toEqual([
      { event: 'snapshot', data: '{"a":1}', id: '1-1' },
      { event: 'stock', data: '{"stock":3}', id: '1-2' },
    ]);
  });

  it('joins events split across chunks anywhere, CRLF included', () => {
    expect(parse('event: pr', 'ice\r', '\ndata: {"currentPrice"', ':400}\r\n', '\r\n')).toEqual([
      { event: 'price', data: '{"currentPrice":400}', id: null },
    ]);
  });

  it('keeps the last id for later events, joins data lines, and names unnamed events message', () => {
    expect(parse('id: 7\ndata: a\ndata: b\n\ndata: c\n\n')).toEqual([
      { event: 'message', data: 'a\nb', id: '7' },
      { event: 'message', data: 'c', id: '7' },
    ]);
  });
});
