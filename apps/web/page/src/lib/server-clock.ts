import type { Millis } from '@dutch/domain';

/**
 * How far the server's clock may read behind ours before we stop trusting our offset and start
 * over: more than any sane network latency, so only a jump of a clock (sleep, NTP) triggers it.
 */
const RESYNC_THRESHOLD_MS = 2_000;

/** The server's clock as this page sees it: the local clock plus an offset learned from responses. */
export interface ServerClock {
  now(): Millis;
  /** A response stamped `serverTime` has just arrived. */
  observe(serverTime: Millis): void;
  /** The server has proven its clock reads at least `instant` by now (e.g. a price it announced). */
  atLeast(instant: Millis): void;
  readonly offsetMs: number;
}

/**
 * Every stamp arrives late by the network latency, so the offset it gives is a lower bound:
 * the page runs a little behind the server, never ahead. That is the safe side: the price shown
 * is never below the server's, so a maxPrice taken from it is never refused as too low.
 * The offset only moves forward, so a slower response cannot make the price climb back up.
 */
export function createServerClock(localNow: () => Millis = Date.now): ServerClock {
  let offset = 0;
  let synced = false;

  const atLeast = (instant: Millis) => {
    const lag = instant - (localNow() + offset);
    if (lag > 0) offset += lag;
  };

  return {
    now: () => localNow() + offset,
    observe(serverTime) {
      if (!Number.isFinite(serverTime)) return;
      const bound = serverTime - localNow();
      if (!synced || offset - bound > RESYNC_THRESHOLD_MS) {
        offset = bound;
        synced = true;
      } else atLeast(serverTime);
    },
    atLeast,
    get offsetMs() {
      return offset;
    },
  };
}
