import { describe, expect, it } from 'vitest';
import type { WatchAnswer } from './load-watch.ts';
import type { MemberStream, StreamedEvent } from './member-streams.ts';
import {
  type PlannedWatch,
  priceAlertKey,
  type StoredNotification,
  verifyWatchers,
  type WatchersInput,
} from './verify-watchers.ts';

const AUCTION = 'a1';
const DROP = Date.UTC(2030, 0, 1, 12);
const PLANNED: PlannedWatch[] = [
  { memberId: 'm1', alertPrice: 90, reached: true },
  { memberId: 'm2', alertPrice: 95, reached: true },
  { memberId: 'm3', alertPrice: 99, reached: true },
  { memberId: 'u1', alertPrice: 89, reached: false },
  { memberId: 'u2', alertPrice: 50, reached: false },
];

const alertOf = (memberId: string, id: string, at = DROP + 120): StoredNotification => ({
  id,
  memberId,
  kind: 'price_alert',
  auctionId: AUCTION,
  dedupeKey: priceAlertKey(AUCTION),
  createdAt: at,
  data: { title: 'watched', price: 90, alertPrice: PLANNED.find((p) => p.memberId === memberId)?.alertPrice ?? null },
});

const event = (id: string, memberId: string): StreamedEvent => ({
  event: 'notification',
  id,
  data: { id, kind: 'price_alert', auctionId: AUCTION, message: '…', memberId },
  receivedAt: DROP + 150,
});

const stream = (memberId: string, reached: boolean, events: StreamedEvent[]): MemberStream => ({
  memberId,
  reached,
  status: 200,
  contentType: 'text/event-stream; charset=utf-8',
  error: null,
  events,
  connectedAt: DROP - 1_000,
});

/** What a correct engine leaves: every watch taken, one alert per reached watcher, streams that got theirs. */
function correct(): WatchersInput {
  const answers: WatchAnswer[] = PLANNED.map((p) => ({
    memberId: p.memberId,
    alertPrice: p.alertPrice,
    status: 200,
    body: JSON.stringify({ auctionId: AUCTION, alertPrice: p.alertPrice }),
  }));
  return {
    auctionId: AUCTION,
    dropAt: DROP,
    priceAfter: 90,
    planned: PLANNED,
    answers,
    transport: { transportErrors: 0, timeouts: 0 },
    watches: PLANNED.map((p) => ({ memberId: p.memberId, alertPrice: p.alertPrice })),
    notifications: [alertOf('m1', '11'), alertOf('m2', '12'), alertOf('m3', '13')],
    streams: [stream('m1', true, [event('11', 'm1')]), stream('u1', false, [])],
  };
}

const failing = (input: WatchersInput) =>
  verifyWatchers(input)
    .filter((c) => !c.ok)
    .map((c) => c.name);

describe('verifyWatchers', () => {
  it('passes what a correct engine leaves', () => {
    const checks = verifyWatchers(correct());
    expect(checks.map((c) => [c.name, c.ok])).toEqual(checks.map((c) => [c.name, true]));
    expect(checks).toHaveLength(7);
  });

  it('fails a watch answered with anything but 200 and the alert price sent, or never answered', () => {
    const input = correct();
    const answers = [
      { ...(input.answers[0] as WatchAnswer), body: JSON.stringify({ auctionId: AUCTION, alertPrice: 91 }) },
      ...input.answers.slice(2),
    ];
    expect(failing({ ...input, answers })).toEqual([
      'every watch answered 200 with the auction and the alert price sent',
    ]);
    expect(failing({ ...input, transport: { transportErrors: 1, timeouts: 0 } })).toEqual([
      'every watch answered 200 with the auction and the alert price sent',
    ]);
  });

  it('fails a missing watch, a wrong alert price stored, or a watch nobody sent', () => {
    const input = correct();
    const name = 'every watch stored once with its alert price';
    expect(failing({ ...input, watches: input.watches.slice(1) })).toEqual([name]);
    expect(failing({ ...input, watches: [{ memberId: 'm1', alertPrice: null }, ...input.watches.slice(1)] })).toEqual([
      name,
    ]);
    expect(failing({ ...input, watches: [...input.watches, { memberId: 'x', alertPrice: 90 }] })).toEqual([name]);
  });

  it('fails a reached watcher without an alert, with two, or with one stored before the drop', () => {
    const input = correct();
    const name = 'each reached watcher has exactly one price_alert, after the drop, at the new price';
    const [, m2, m3] = input.notifications as [StoredNotification, StoredNotification, StoredNotification];
    expect(failing({ ...input, notifications: [m2, m3] })).toEqual([
      name,
      'sampled member streams got their price_alert live, once, with the stored id',
    ]);
    expect(failing({ ...input, notifications: [...input.notifications, alertOf('m2', '14')] })).toEqual([
      name,
      'no notification stored twice (member, dedupe key)',
    ]);
    expect(failing({ ...input, notifications: [alertOf('m1', '11', DROP - 1), m2, m3] })).toEqual([name]);
    expect(
      failing({ ...input, notifications: [{ ...alertOf('m1', '11'), data: { price: 100, alertPrice: 90 } }, m2, m3] }),
    ).toEqual([name]);
    expect(
      failing({ ...input, notifications: [{ ...alertOf('m1', '11'), data: { price: 90, alertPrice: 95 } }, m2, m3] }),
    ).toEqual([name]);
  });

  it('fails any notification to an unreached watcher, and anything else to a reached one', () => {
    const input = correct();
    expect(failing({ ...input, notifications: [...input.notifications, alertOf('u2', '20')] })).toEqual([
      'watchers whose alert price was not reached got nothing',
    ]);
    const starting: StoredNotification = {
      ...alertOf('m3', '21'),
      kind: 'auction_starting',
      dedupeKey: `auction_starting:${AUCTION}`,
    };
    expect(failing({ ...input, notifications: [...input.notifications, starting] })).toEqual([
      'reached watchers got nothing but their price_alert',
    ]);
  });

  it('fails a stream that did not open or follow the inbox before the drop, missed its alert, got it twice or with another id, or alerted an unreached member', () => {
    const input = correct();
    const name = 'sampled member streams got their price_alert live, once, with the stored id';
    const [, unreached] = input.streams as [MemberStream, MemberStream];
    const variants: MemberStream[] = [
      { ...stream('m1', true, []), status: 401, contentType: 'application/json' },
      stream('m1', true, []),
      stream('m1', true, [event('11', 'm1'), event('11', 'm1')]),
      stream('m1', true, [event('12', 'm1')]),
      { ...stream('m1', true, [event('11', 'm1')]), connectedAt: null },
      { ...stream('m1', true, [event('11', 'm1')]), connectedAt: DROP },
    ];
    for (const variant of variants) expect(failing({ ...input, streams: [variant, unreached] })).toEqual([name]);
    expect(failing({ ...input, streams: [stream('u1', false, [event('11', 'u1')])] })).toEqual([name]);
  });
});
