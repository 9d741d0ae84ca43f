import { describe, expect, it } from 'vitest';
import { isMessage, send } from './process-messages.ts';

describe('process messages', () => {
  it('recognises a message of its type only when every field it needs is there', () => {
    expect(isMessage({ type: 'listening', port: 3000 }, 'listening')).toBe(true);
    expect(isMessage({ type: 'listening', port: '3000' }, 'listening')).toBe(false);
    expect(isMessage({ type: 'listening', port: 3000 }, 'fatal')).toBe(false);
    expect(isMessage({ type: 'metrics-response', id: 1, metrics: [] }, 'metrics-response')).toBe(true);
    expect(isMessage({ type: 'metrics-response', id: 1 }, 'metrics-response')).toBe(false);
    expect(isMessage(null, 'ready')).toBe(false);
    expect(isMessage('ready', 'ready')).toBe(false);
  });

  it('sends only where there is a channel, and says whether it did', () => {
    const sent: unknown[] = [];
    const channel = { send: (message: unknown) => sent.push(message) > 0 };
    expect(send(channel, { type: 'ready' })).toBe(true);
    expect(send({}, { type: 'ready' })).toBe(false);
    expect(sent).toEqual([{ type: 'ready' }]);
  });
});
