import { insertDueWatchNotifications, type Sql } from '@dutch/db';
import { isRetryableError, sleep } from '@dutch/runtime';
import type { KeyLayout, RedisClient } from '@dutch/stream';
import type { Logger } from 'pino';
import type { ConsumerMetrics } from './metrics.ts';
import { publishNotify } from './publish-notify.ts';
import { createSchedulerStates } from './worker-states.ts';

/** How often (real time) each consumer looks for due watch alerts: a price_alert lands this late at most. */
export const WATCH_ALERTS_EVERY_MS = 250;

/**
 * Tries of one look: two consumers' statements inserting the same keys may deadlock (Postgres
 * aborts one) or meet a brief outage; consumeOnce() should not fail on what a retry settles.
 */
const LOOK_TRIES = 3;

export interface WatchAlertsDeps {
  readonly sql: Sql;
  readonly redis: RedisClient;
  readonly layout: KeyLayout;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly metrics: ConsumerMetrics;
}

/**
 * The scheduler of time-driven notifications (auction_starting, price_alert, ending_soon): every
 * WATCH_ALERTS_EVERY_MS, one statement stores every alert due at the clock's now for every watch,
 * then the members who got one are nudged (notify events).
 *
 * One per consumer PROCESS, beside the shard workers rather than in them or in the closer's look:
 * the closer appends to the streams of the shards it owns, under their fences, while this writes
 * Postgres only and needs no ownership. A consumer that owns no shard still runs it, so alerts do
 * not depend on any one process, and many consumers running it at once are safe: the unique
 * (member, dedupe key) index lets one insert win and the others store nothing. It keeps no state
 * of its own (what was sent is the notifications table), so a restart simply looks again.
 */
export class WatchAlerts {
  private readonly states;
  private timer: NodeJS.Timeout | null = null;
  /** The look in flight: a process never runs two at once (a slow look delays the next one). */
  private look: Promise<number> = Promise.resolve(0);

  constructor(private readonly deps: WatchAlertsDeps) {
    this.states = createSchedulerStates((from, to, why) => deps.logger.debug({ from, to, why }, 'watch alerts'));
  }

  /** Looks every WATCH_ALERTS_EVERY_MS until stopped. */
  start(): void {
    if (this.states.is('active')) return;
    this.states.moveTo('active', 'the consumer started');
    this.schedule();
  }

  /** Stops looking; resolves once the look in flight (if any) is done. */
  async stop(): Promise<void> {
    if (this.states.is('stopped')) return;
    this.states.moveTo('stopping', 'the consumer is stopping');
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.look.catch(() => 0);
    this.states.moveTo('stopped', 'the last look is done');
  }

  /**
   * One look now, after the one in flight: consumeOnce() calls it so tests need not wait for the
   * timer. Resolves to the notifications stored; rejects when Postgres refused the look.
   */
  lookNow(): Promise<number> {
    const next = this.look.catch(() => 0).then(() => this.lookOnce());
    this.look = next;
    return next;
  }

  private schedule(): void {
    if (!this.states.is('active')) return;
    this.timer = setTimeout(() => {
      this.lookNow()
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'watch alerts look failed; will retry'))
        .finally(() => this.schedule());
    }, WATCH_ALERTS_EVERY_MS);
  }

  private async lookOnce(): Promise<number> {
    const { redis, layout, logger, metrics } = this.deps;
    const inserted = await this.insertDue();
    if (inserted.length === 0) return 0;
    metrics.notificationsStored.inc({ source: 'watches' }, inserted.length);
    // Stored already: a lost nudge only delays a live push (the inbox is read on every reconnect).
    await publishNotify(
      redis,
      layout,
      inserted.map((row) => row.memberId),
    ).catch((error: unknown) => logger.warn({ err: error }, 'notify events for watch alerts not published'));
    return inserted.length;
  }

  private async insertDue(): ReturnType<typeof insertDueWatchNotifications> {
    const { sql, clock } = this.deps;
    for (let attempt = 1; ; attempt++) {
      try {
        return await insertDueWatchNotifications(sql, clock());
      } catch (error) {
        if (attempt >= LOOK_TRIES || !isRetryableError(error)) throw error;
        await sleep(20 * attempt);
      }
    }
  }
}
