export interface SseEvent {
  readonly event: string;
  readonly id: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read event data loosely and assert on it.
  readonly data: any;
}

/** Reads an SSE response as it arrives: its events, parsed, and its comment lines (heartbeats), until closed. */
export function readSseEvents(response: Response) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const fields = new Map<string, string>();
        for (const line of buffer.slice(0, end).split('\n')) {
          if (line.startsWith(':')) comments.push(line);
          const at = line.indexOf(': ');
          if (at > 0) fields.set(line.slice(0, at), line.slice(at + 2));
        }
        buffer = buffer.slice(end + 2);
        const event = fields.get('event');
        if (event !== undefined)
          events.push({ event, id: fields.get('id') ?? '', data: JSON.parse(fields.get('data') ?? 'null') });
        end = buffer.indexOf('\n\n');
      }
    }
  })();
  return { events, comments, pump, close: () => reader.cancel().catch(() => {}) };
}
