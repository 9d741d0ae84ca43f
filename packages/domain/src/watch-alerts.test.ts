import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNotification } from './describe-notification.ts';
import { englishStatusAt } from './english.ts';
import { sec, T0, terms } from './fixtures.test-util.ts';
import { priceAt } from './price-schedule.ts';
import { statusAt } from './status.ts';
import { dueWatchAlerts, ENDING_SOON_MS, notificationsOfWatch, type WatchedAuction } from './watch-alerts.ts';

// Dutch: 100 points, -10 every 60 s, from T0 for 10 minutes.
const dutch: WatchedAuction = { ...terms(), format: 'dutch', stock: 5, closedAt: null };
const english: WatchedAuction = { format: 'english', startsAt: T0, endsAt: T0 + sec(600), closedAt: null };
const early = { createdAt: T0 - sec(10), alertPrice: null };

describe('dueWatchAlerts', () => {
  it('auction_starting: only for a watch made before the start, from the start until the end', () => {
    expect(dueWatchAlerts(early, dutch, T0 - 1)).toEqual([]);
    expect(dueWatchAlerts(early, dutch, T0)).toEqual(['auction_starting']);
    expect(dueWatchAlerts(early, dutch, T0 + sec(599))).toEqual(['auction_starting']);
    expect(dueWatchAlerts(early, dutch, T0 + sec(600))).toEqual([]);
    expect(dueWatchAlerts({ createdAt: T0, alertPrice: null }, dutch, T0 + sec(1))).toEqual([]);
  });

  it('price_alert: once the Dutch price is at or below alertPrice while running', () => {
    const watch = { createdAt: T0 + sec(1), alertPrice: 80 };
    expect(dueWatchAlerts(watch, dutch, T0 + sec(119))).toEqual([]); // 90
    expect(dueWatchAlerts(watch, dutch, T0 + sec(120))).toEqual(['price_alert']); // 80
    expect(dueWatchAlerts(watch, dutch, T0 + sec(400))).toEqual(['price_alert']); // 40
    expect(dueWatchAlerts(watch, { ...dutch, stock: 0 }, T0 + sec(400))).toEqual([]); // sold out
    expect(dueWatchAlerts(watch, dutch, T0 + sec(600))).toEqual([]); // ended
    expect(dueWatchAlerts({ ...watch, alertPrice: 100 }, dutch, T0 - 1)).toEqual([]); // not started
  });

  it('ending_soon: an English auction in its last minute, by its current end', () => {
    expect(dueWatchAlerts(early, english, T0 + sec(539) + 999)).toEqual(['auction_starting']);
    expect(dueWatchAlerts(early, english, T0 + sec(540))).toEqual(['auction_starting', 'ending_soon']);
    const extended = { ...english, endsAt: T0 + sec(630) };
    expect(dueWatchAlerts(early, extended, T0 + sec(560))).toEqual(['auction_starting']);
    expect(dueWatchAlerts(early, extended, T0 + sec(629))).toEqual(['auction_starting', 'ending_soon']);
    expect(dueWatchAlerts(early, extended, T0 + sec(630))).toEqual([]);
    expect(ENDING_SOON_MS).toBe(60_000);
  });

  it('a closed auction has nothing due, and an alert price means nothing on English', () => {
    expect(dueWatchAlerts({ ...early, alertPrice: 100 }, { ...dutch, closedAt: T0 + sec(30) }, T0 + sec(40))).toEqual(
      [],
    );
    expect(dueWatchAlerts({ ...early, alertPrice: 1_000 }, english, T0 + sec(10))).toEqual(['auction_starting']);
  });
});

describe('notificationsOfWatch', () => {
  it('drafts each due alert with its key and data', () => {
    const watch = { memberId: 'm', createdAt: T0 - 1, alertPrice: 95 };
    const drafts = notificationsOfWatch(watch, { ...dutch, id: 'a1', title: 'Lamp' }, T0 + sec(61));
    expect(drafts).toEqual([
      {
        memberId: 'm',
        kind: 'auction_starting',
        auctionId: 'a1',
        receiptId: null,
        data: { title: 'Lamp' },
        dedupeKey: 'auction_starting:a1',
      },
      {
        memberId: 'm',
        kind: 'price_alert',
        auctionId: 'a1',
        receiptId: null,
        data: { title: 'Lamp', price: 90, alertPrice: 95 },
        dedupeKey: 'price_alert:a1',
      },
    ]);
    expect(describeNotification('price_alert', drafts[1]?.data ?? {})).toBe(
      'Lamp is at 90 points now, at or below your alert price of 95 points.',
    );
    const soon = notificationsOfWatch(watch, { ...english, id: 'a2', title: 'Vase' }, T0 + sec(590));
    expect(soon.map((d) => [d.kind, d.dedupeKey, d.data])).toEqual([
      ['auction_starting', 'auction_starting:a2', { title: 'Vase' }],
      ['ending_soon', 'ending_soon:a2', { title: 'Vase', endsAt: T0 + sec(600) }],
    ]);
  });
});

const dutchArb = fc.record({
  startPrice: fc.integer({ min: 10, max: 2_000 }),
  drop: fc.oneof(
    fc.record({ kind: fc.constant('constant' as const), amount: fc.integer({ min: 1, max: 100 }) }),
    fc.record({ kind: fc.constant('percentage' as const), percent: fc.integer({ min: 1, max: 50 }) }),
  ),
  floor: fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }),
  interval: fc.integer({ min: 1, max: 120 }),
  steps: fc.integer({ min: 1, max: 30 }),
  stock: fc.integer({ min: 0, max: 3 }),
  closed: fc.boolean(),
});
/** Times around an auction of T0 .. T0 + span, as thousandths of the span (a few outside it). */
const timeArb = fc.integer({ min: -200, max: 1_200 });

describe('dueWatchAlerts agrees with the schedule (property)', () => {
  it('Dutch: price_alert iff running and priceAt(now) <= alertPrice; it stays due as time goes on', () => {
    fc.assert(
      fc.property(
        dutchArb,
        timeArb,
        timeArb,
        timeArb,
        fc.option(fc.integer({ min: 1, max: 2_000 })),
        (d, c, n, m, alertPrice) => {
          const span = d.interval * d.steps * 1000;
          const schedule = terms({
            startPrice: d.startPrice,
            priceDrop: d.drop,
            floorPrice: d.floor === null ? null : Math.min(d.floor, d.startPrice),
            dropIntervalSeconds: d.interval,
            endsAt: T0 + span,
          });
          const auction: WatchedAuction = {
            ...schedule,
            format: 'dutch',
            stock: d.stock,
            closedAt: d.closed ? T0 : null,
          };
          const at = (k: number) => T0 + Math.floor((span * k) / 1000);
          const watch = { createdAt: at(c), alertPrice };
          const [now, later] = [at(Math.min(n, m)), at(Math.max(n, m))];
          const due = dueWatchAlerts(watch, auction, now);
          const running = !d.closed && statusAt(schedule, now, d.stock) === 'running';
          expect(due.includes('price_alert')).toBe(
            running && alertPrice !== null && priceAt(schedule, now) <= alertPrice,
          );
          expect(due.includes('ending_soon')).toBe(false);
          const open = !d.closed && now >= schedule.startsAt && now < schedule.endsAt;
          expect(due.includes('auction_starting')).toBe(open && watch.createdAt < schedule.startsAt);
          // Prices only fall: an alert due now is due at every later moment the auction still runs.
          if (due.includes('price_alert') && statusAt(schedule, later, d.stock) === 'running') {
            expect(dueWatchAlerts(watch, auction, later)).toContain('price_alert');
          }
        },
      ),
    );
  });

  it('English: ending_soon iff running and within ENDING_SOON_MS of the current end; never a price_alert', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 900 }),
        fc.integer({ min: 0, max: 600 }),
        timeArb,
        timeArb,
        fc.boolean(),
        (seconds, extension, c, n, closed) => {
          const span = seconds * 1000;
          const endsAt = T0 + span + extension * 1000;
          const auction: WatchedAuction = { format: 'english', startsAt: T0, endsAt, closedAt: closed ? T0 : null };
          const at = (k: number) => T0 + Math.floor((span * k) / 1000);
          const watch = { createdAt: at(c), alertPrice: 1 };
          const now = at(n) + (n > 1_000 ? extension * 1000 : 0);
          const due = dueWatchAlerts(watch, auction, now);
          const running = !closed && englishStatusAt({ startsAt: T0 }, endsAt, now) === 'running';
          expect(due.includes('ending_soon')).toBe(running && now >= endsAt - ENDING_SOON_MS);
          expect(due.includes('auction_starting')).toBe(running && watch.createdAt < T0);
          expect(due.includes('price_alert')).toBe(false);
        },
      ),
    );
  });
});
