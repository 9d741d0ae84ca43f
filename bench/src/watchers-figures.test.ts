import { describe, expect, it } from 'vitest';
import { SseParser } from './member-streams.ts';
import { alertTiming, dropIntervalFor, metAlertTarget, streamDelays } from './watchers-figures.ts';

const DROP = Date.UTC(2030, 0, 1, 12);

describe('alertTiming', () => {
  it('counts the storing transactions by their created_at and rates the insert from its start', () => {
    // 10,000 alerts stamped by one transaction 180 ms after the drop, all committed 400 ms after it.
    const alerts = Array.from({ length: 10_000 }, () => ({ createdAt: DROP + 180 }));
    const timing = alertTiming(alerts, DROP, DROP + 400, DROP + 400);
    expect(timing).toEqual({
      stored: 10_000,
      transactions: 1,
      firstStampAfterDropMs: 180,
      lastStampAfterDropMs: 180,
      allVisibleAfterDropMs: 400,
      allNotifiedAfterDropMs: 400,
      storedPerSecond: 45_455,
      storedPerSecondFromDrop: 25_000,
    });
    expect(metAlertTarget(timing, 10_000)).toBe(true);
  });

  it('has no rates and misses the target when the alerts were never all seen', () => {
    const timing = alertTiming([{ createdAt: DROP + 10 }, { createdAt: DROP + 260 }], DROP, null, null);
    expect(timing.transactions).toBe(2);
    expect(timing.lastStampAfterDropMs).toBe(260);
    expect(timing.storedPerSecond).toBeNull();
    expect(timing.storedPerSecondFromDrop).toBeNull();
    expect(metAlertTarget(timing, 2)).toBe(false);
  });

  it('misses the target when seen late, or when fewer than expected were stored', () => {
    const alerts = [{ createdAt: DROP + 900 }];
    expect(metAlertTarget(alertTiming(alerts, DROP, DROP + 1_001, null), 1)).toBe(false);
    expect(metAlertTarget(alertTiming(alerts, DROP, DROP + 1_000, DROP + 1_000), 1)).toBe(true);
    expect(metAlertTarget(alertTiming(alerts, DROP, DROP + 950, null), 2)).toBe(false);
    expect(alertTiming([], DROP, null, null)).toMatchObject({
      stored: 0,
      transactions: 0,
      firstStampAfterDropMs: null,
    });
  });
});

describe('streamDelays', () => {
  it("takes each reached stream's first notification, from the drop", () => {
    const event = (receivedAt: number, name = 'notification') => ({ event: name, id: '1', data: {}, receivedAt });
    const base = { status: 200, contentType: 'text/event-stream', error: null, connectedAt: DROP - 1_000 };
    const summary = streamDelays(
      [
        { ...base, memberId: 'a', reached: true, events: [event(DROP + 5, 'hello'), event(DROP + 300)] },
        { ...base, memberId: 'b', reached: true, events: [event(DROP + 200), event(DROP + 900)] },
        { ...base, memberId: 'c', reached: false, events: [event(DROP + 999)] },
        { ...base, memberId: 'd', reached: true, events: [] },
      ],
      DROP,
    );
    expect([summary.count, summary.min, summary.max]).toEqual([2, 200, 300]);
  });
});

describe('SseParser', () => {
  it('parses events split anywhere across chunks, skipping heartbeats', () => {
    const parser = new SseParser();
    const text =
      ': heartbeat\n\nevent: notification\nid: 42\ndata: {"id":"42","kind":"price_alert"}\n\n:hb\n\nid: 43\r\ndata:plain\r\n\r\n';
    const events = [];
    const comments = [];
    for (let i = 0; i < text.length; i += 7) {
      const got = parser.push(text.slice(i, i + 7), i);
      events.push(...got.events);
      comments.push(...got.comments);
    }
    expect(comments).toEqual(['heartbeat', 'hb']);
    expect(events.map((e) => [e.event, e.id, e.data])).toEqual([
      ['notification', '42', { id: '42', kind: 'price_alert' }],
      ['message', '43', 'plain'],
    ]);
    // Stamped when the chunk that completed the event arrived.
    expect(events[0]?.receivedAt).toBe(Math.floor(text.indexOf('\n\n:hb') / 7) * 7);
  });

  it('joins multi-line data with newlines', () => {
    const [event] = new SseParser().push('event: x\ndata: {"a":\ndata: 1}\n\n', 0).events;
    expect(event?.data).toEqual({ a: 1 });
  });
});

describe('dropIntervalFor', () => {
  it('leaves twice the calibrated time for the watches, plus 3 s, within 10 s and half an hour', () => {
    expect(dropIntervalFor(11_000, 5_000, 10)).toBe(10);
    expect(dropIntervalFor(11_000, 1_000, 10)).toBe(25);
    expect(dropIntervalFor(11_000, 156, 10)).toBe(145);
    expect(dropIntervalFor(11_000, 1, 10)).toBe(1_800);
    expect(dropIntervalFor(11_000, 0, 10)).toBe(1_800);
  });
});
