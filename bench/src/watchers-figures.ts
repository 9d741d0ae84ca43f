/**
 * The watchers scenario's figures, from the rows read back and the bench's own observation of
 * when they were all visible: how long after the drop the price_alerts were stored, in how many
 * transactions, and at what rate.
 */
import type { MemberStream } from './member-streams.ts';
import type { Summary } from './stats.ts';
import { round, summarize } from './stats.ts';
import type { StoredNotification } from './verify-watchers.ts';

export interface AlertTiming {
  /** The auction's price_alerts stored. */
  readonly stored: number;
  /**
   * Distinct created_at among them. created_at is Postgres's now(), the start of the storing
   * transaction, so this counts the transactions that stored them: one statement per watcher
   * would show thousands.
   */
  readonly transactions: number;
  /** From the drop to the first and the last created_at (the storing transactions' starts). */
  readonly firstStampAfterDropMs: number | null;
  readonly lastStampAfterDropMs: number | null;
  /**
   * From the drop until the bench knew every expected alert committed: the consumers' notify events
   * (published after the commit) had named every reached watcher, or Postgres showed them all
   * (polled every 100 ms, in case a notify was lost), whichever came first; null if neither did.
   */
  readonly allVisibleAfterDropMs: number | null;
  /** From the drop until the notify events had named every reached watcher; null if they never did. */
  readonly allNotifiedAfterDropMs: number | null;
  /** Alerts per second from the first storing transaction's start until all were visible: the insert. */
  readonly storedPerSecond: number | null;
  /** Alerts per second from the drop until all were visible: the scheduler's wait included. */
  readonly storedPerSecondFromDrop: number | null;
}

export function alertTiming(
  alerts: readonly Pick<StoredNotification, 'createdAt'>[],
  dropAt: number,
  allVisibleAt: number | null,
  allNotifiedAt: number | null,
): AlertTiming {
  const stamps = alerts.map((a) => a.createdAt);
  const first = stamps.length === 0 ? null : Math.min(...stamps);
  const last = stamps.length === 0 ? null : Math.max(...stamps);
  const rate = (from: number | null) =>
    allVisibleAt === null || from === null || allVisibleAt <= from
      ? null
      : round(alerts.length / ((allVisibleAt - from) / 1000), 0);
  return {
    stored: alerts.length,
    transactions: new Set(stamps).size,
    firstStampAfterDropMs: first === null ? null : first - dropAt,
    lastStampAfterDropMs: last === null ? null : last - dropAt,
    allVisibleAfterDropMs: allVisibleAt === null ? null : allVisibleAt - dropAt,
    allNotifiedAfterDropMs: allNotifiedAt === null ? null : allNotifiedAt - dropAt,
    storedPerSecond: rate(first),
    storedPerSecondFromDrop: rate(dropAt),
  };
}

/** The target: every reached watcher's alert stored and visible within `withinMs` of the drop. */
export function metAlertTarget(timing: AlertTiming, expected: number, withinMs = 1_000): boolean {
  return (
    timing.stored === expected && timing.allVisibleAfterDropMs !== null && timing.allVisibleAfterDropMs <= withinMs
  );
}

/** From the drop to each sampled reached stream's first notification event, as the bench received it. */
export function streamDelays(streams: readonly MemberStream[], dropAt: number): Summary {
  const delays = streams.flatMap((s) => {
    const first = s.reached ? s.events.find((e) => e.event === 'notification') : undefined;
    return first === undefined ? [] : [first.receivedAt - dropAt];
  });
  return summarize(delays);
}

/**
 * Seconds from the start to the drop: the watches' expected time at the rate a first pass
 * measured, doubled (a shared machine's rate moves by 2× from one minute to the next), plus 3 s
 * for the streams and the last second; at least `minSeconds`, at most half an hour (an auction
 * lasts at most an hour, and this one lasts two intervals).
 */
export function dropIntervalFor(watches: number, watchesPerSecond: number, minSeconds: number): number {
  const expected = watchesPerSecond > 0 ? watches / watchesPerSecond : Number.POSITIVE_INFINITY;
  return Math.min(1_800, Math.max(minSeconds, Math.ceil(expected * 2 + 3)));
}
