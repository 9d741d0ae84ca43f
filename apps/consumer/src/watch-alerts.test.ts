import { createDb } from '@dutch/db';
import {
  checkNotifications,
  createAuction,
  createEnglishAuction,
  createMember,
  createMembers,
  waitFor,
} from '@dutch/testkit';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { useCloseFixture } from './close-fixtures.test-util.ts';
import { createConsumerMetrics } from './metrics.ts';
import { notificationKeys, notifiedMembers, storedNotifications, watch } from './notification-fixtures.test-util.ts';
import { WatchAlerts } from './watch-alerts.ts';

const f = useCloseFixture();

const quiet = () => ({ clock: () => f.now, logger: pino({ level: 'silent' }), metrics: createConsumerMetrics() });

const FALLING = { priceDrop: { kind: 'constant', amount: 10 }, dropIntervalSeconds: 60, startPrice: 100 } as const;

describe('the watch-alert scheduler', () => {
  it('run by two consumers at once stores each alert once, and nudges each member once in events of at most 1,000', async () => {
    const now = f.now;
    const seller = await createMember(f.db.sql);
    const watchers = await createMembers(
      f.db.sql,
      Array.from({ length: 2_500 }, () => 0),
    );
    const patient = await createMembers(f.db.sql, [0, 0, 0]);
    // Price 80 now (two drops of 10 since the start).
    const falling = await createAuction(f.db.db, seller, { ...FALLING, startsAt: now - 120_000 });
    const ending = await createEnglishAuction(f.db.db, seller, { startsAt: now - 60_000, endsAt: now + 30_000 });
    await watch(f.db.sql, watchers, falling.id, 85, now);
    await watch(f.db.sql, patient, falling.id, 50, now);
    await watch(f.db.sql, watchers.slice(0, 5), ending.id, null, now);

    // Two schedulers, each on its own connections as in two processes, their statements in flight together.
    const clients = [createDb(f.db.url, { max: 2 }), createDb(f.db.url, { max: 2 })];
    const schedulers = clients.map(({ sql }) => new WatchAlerts({ ...f, sql, ...quiet() }));
    const counts = await Promise.all(schedulers.map((s) => s.lookNow()));
    await Promise.all(clients.map((c) => c.close()));
    expect((counts[0] as number) + (counts[1] as number)).toBe(2_505);
    // And then two consumers, each looking again: nothing more.
    const [c1, c2] = [f.consumer('c1'), f.consumer('c2')];
    await Promise.all([c1.consumer.consumeOnce(), c2.consumer.consumeOnce()]);

    const stored = await storedNotifications(f.db.sql);
    expect(
      stored
        .filter((n) => n.kind === 'price_alert')
        .map((n) => n.memberId)
        .sort(),
    ).toEqual([...watchers].sort());
    expect(
      stored
        .filter((n) => n.kind === 'ending_soon')
        .map((n) => n.memberId)
        .sort(),
    ).toEqual(watchers.slice(0, 5).sort());
    expect(stored).toHaveLength(2_505);
    expect(await checkNotifications(f.db.sql, [falling.id, ending.id])).toEqual([]);

    // Only the statement that stored a member's alerts names the member, once (five of them got two
    // alerts from it): 2,500 names in all, in events of at most 1,000.
    await waitFor(async () => notifiedMembers(f.events).length >= 2_500, 5_000, 'notify events');
    const sizes = f.events.flatMap((e) => (e.type === 'notify' ? [e.memberIds.length] : []));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1_000);
    expect(notifiedMembers(f.events)).toHaveLength(2_500);
    expect(new Set(notifiedMembers(f.events))).toEqual(new Set(watchers));
  });

  it('keeps no state of its own: a restarted consumer stores nothing again, then what comes due by the clock', async () => {
    const now = f.now;
    const seller = await createMember(f.db.sql);
    const [early, late, alert] = await createMembers(f.db.sql, [0, 0, 0]);
    const starting = await createAuction(f.db.db, seller, { startsAt: now + 20_000 });
    const ending = await createEnglishAuction(f.db.db, seller, { startsAt: now - 60_000, endsAt: now + 150_000 });
    const falling = await createAuction(f.db.db, seller, { ...FALLING, startsAt: now - 60_000 });
    await watch(f.db.sql, [early as string], starting.id, null, now); // before the start: told when it starts
    await watch(f.db.sql, [alert as string], falling.id, 70, now); // 90 now; 70 in two more minutes
    await watch(f.db.sql, [alert as string], ending.id, null, now);

    const first = f.consumer('first');
    await first.consumer.consumeOnce();
    expect(await notificationKeys(f.db.sql)).toEqual([]);
    f.now = now + 21_000;
    // A watch made after the start is not told of it.
    await watch(f.db.sql, [late as string], starting.id, null, now + 20_500);
    await first.consumer.consumeOnce();
    expect(await notificationKeys(f.db.sql)).toEqual([`${early} auction_starting:${starting.id}`]);
    await f.stop(first);

    // A new process: nothing stored twice; then its timer (no consumeOnce) stores what the clock makes due.
    const second = f.consumer('second');
    await second.consumer.consumeOnce();
    expect(await notificationKeys(f.db.sql)).toHaveLength(1);
    await second.consumer.start();
    f.now = now + 121_000;
    const due = [
      `${alert} ending_soon:${ending.id}`,
      `${alert} price_alert:${falling.id}`,
      `${early} auction_starting:${starting.id}`,
    ].sort();
    await waitFor(async () => (await notificationKeys(f.db.sql)).length === 3, 5_000, 'the timer to store both');
    expect(await notificationKeys(f.db.sql)).toEqual(due);
    await waitFor(async () => notifiedMembers(f.events).includes(alert as string), 5_000, 'the nudge');
    expect(notifiedMembers(f.events).filter((m) => m === early)).toHaveLength(1);
  });
});
