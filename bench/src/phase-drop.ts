/**
 * The watchers scenario across its price drop: a sample of member streams open and following their
 * inboxes, then from the drop instant until the bench knows every reached watcher's alert is
 * committed, then until the sampled streams have theirs, while the consumers' scheduler keeps
 * ticking (so a late or repeated alert would be stored and seen).
 */
import type { Bench } from './context.ts';
import { countAlertsAfter, lastNotificationId } from './facts-watchers.ts';
import { type MemberStream, openMemberStreams } from './member-streams.ts';
import { listenForNotify, type NotifyListener } from './notify-listener.ts';
import { n0 } from './report-format.ts';
import type { Buyer } from './seed.ts';
import { sleepUntil } from './seed-v2.ts';

export const DROP = {
  /** How long after the drop to wait for every alert before giving up. */
  timeoutMs: 15_000,
  /** The notify events are checked this often (free: they are already in this process)... */
  checkMs: 5,
  /** ...and Postgres this often, in case a notify event was lost (it may be: it is only a nudge). */
  pollMs: 100,
  /** Once committed, the scheduler keeps ticking (every 250 ms) at least this long: a second alert would show. */
  settleMs: 1_500,
  /** Once committed, how long the sampled streams may take to deliver theirs. */
  streamsMs: 10_000,
} as const;

export interface DropPlan {
  readonly auctionId: string;
  readonly dropAt: number;
  readonly reachedIds: readonly string[];
  readonly sample: readonly { readonly buyer: Buyer; readonly reached: boolean }[];
}

export interface DropObservation {
  readonly streams: readonly MemberStream[];
  /** When the bench knew every alert committed (notify events naming all, or Postgres showing all); null if never. */
  readonly committedAt: number | null;
  /** When the consumers' notify events (published after the commit) had named every reached watcher. */
  readonly notifiedAt: number | null;
}

export async function observeDrop(bench: Bench, url: string, plan: DropPlan): Promise<DropObservation> {
  const open = await openMemberStreams(url, plan.sample);
  const listener = await listenForNotify(bench.options.redisUrl, bench.layout, plan.reachedIds);
  try {
    const baseline = await lastNotificationId(bench.client.sql);
    bench.log(
      `  ${n0(open.streams.length)} member streams open; the price drops at ${new Date(plan.dropAt).toISOString()}`,
    );
    await sleepUntil(plan.dropAt);
    const committedAt = await waitForCommit(bench, plan, listener, baseline);
    await waitForStreams(open.streams, committedAt ?? Date.now());
    return { streams: open.streams, committedAt, notifiedAt: listener.allNamedAt() };
  } finally {
    open.close();
    await listener.close();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first moment either the notify events or Postgres showed every reached watcher's alert committed. */
async function waitForCommit(
  bench: Bench,
  plan: DropPlan,
  listener: NotifyListener,
  baseline: string,
): Promise<number | null> {
  const expected = plan.reachedIds.length;
  let polledAt = 0;
  for (;;) {
    const named = listener.allNamedAt();
    if (named !== null) return named;
    const now = Date.now();
    if (now - polledAt >= DROP.pollMs) {
      polledAt = now;
      const visible = await countAlertsAfter(bench.client.sql, plan.auctionId, baseline);
      if (visible >= expected) return listener.allNamedAt() ?? Date.now();
      if (now > plan.dropAt + DROP.timeoutMs) {
        bench.log(
          `warning: ${n0(visible)} of ${n0(expected)} price_alerts stored ${now - plan.dropAt} ms after the drop`,
        );
        return null;
      }
    }
    await pause(DROP.checkMs);
  }
}

/** Until every reached, connected stream has a notification (or time is up), and at least DROP.settleMs. */
async function waitForStreams(streams: readonly MemberStream[], from: number): Promise<void> {
  const waiting = streams.filter((s) => s.reached && s.connectedAt !== null);
  const done = () => waiting.every((s) => s.events.some((e) => e.event === 'notification'));
  while (!done() && Date.now() < from + DROP.streamsMs) await pause(DROP.checkMs);
  await sleepUntil(from + DROP.settleMs);
}
