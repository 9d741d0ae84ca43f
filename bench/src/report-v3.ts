/**
 * The report's section for issue 13's watchers scenario: the watches taken, how long after the
 * price drop every alert was stored, at what rate, in how many transactions, and how soon the
 * sampled member streams had theirs.
 */
import { mb, ms, n0, table } from './report-format.ts';
import type { RunResults, Target, WatchersFigures } from './results.ts';

const perSecond = (n: number | null) => (n === null ? '–' : `${n0(n)}/s`);

function writeWatchRows(w: WatchersFigures): string[][] {
  const { watch } = w;
  const ok = watch.statuses['200'] ?? 0;
  return [
    ['watchers: the drop reaches / does not reach', `${n0(w.reached)} / ${n0(w.unreached)}`],
    [
      'PUT /auctions/:id/watch (one per watcher, after the start)',
      `${n0(ok)} × 200 of ${n0(watch.responses)} at ${n0(watch.rps)}/s; p50 ${ms(watch.latencyMs.p50)}, p99 ${ms(watch.latencyMs.p99)}`,
    ],
    [
      'the drop (its distance from the start chosen from a first pass of the same PUTs on a scheduled auction)',
      `${w.drop.at}: ${w.drop.priceBefore} → ${w.drop.priceAfter}, ${n0(w.drop.afterStartSeconds)} s after the start (first pass ${n0(w.calibrationPerSecond)}/s)`,
    ],
  ];
}

function writeAlertRows(w: WatchersFigures): string[][] {
  const a = w.alerts;
  const d = w.streams.delayMs;
  return [
    ['price_alerts stored', `${n0(a.stored)} in ${n0(a.transactions)} transaction(s) (distinct created_at)`],
    [
      'drop → first / last stored (created_at: the storing transaction’s start)',
      `${ms(a.firstStampAfterDropMs)} / ${ms(a.lastStampAfterDropMs)}`,
    ],
    [
      'drop → every alert committed (the consumers’ notify events, sent after the commit, had named every reached watcher; or Postgres, polled every 100 ms, showed them all)',
      ms(a.allVisibleAfterDropMs),
    ],
    ['drop → notify events had named every reached watcher', ms(a.allNotifiedAfterDropMs)],
    ['stored per second: storing transaction’s start → all committed', perSecond(a.storedPerSecond)],
    ['stored per second: drop → all committed (the scheduler’s wait included)', perSecond(a.storedPerSecondFromDrop)],
    [
      `member streams: drop → notification received, p50 / p99 / max (${n0(d.count)} of ${n0(w.streams.reached)} reached, ${n0(w.streams.opened)} streams open)`,
      `${ms(d.p50)} / ${ms(d.p99)} / ${ms(d.max)}`,
    ],
  ];
}

/** The section, or nothing when the scenario did not run (older results render as before). */
export function writeVersion3(r: RunResults): string[] {
  const w = r.watchers;
  if (w === undefined) return [];
  return [
    '## Watchers: one price drop, every alert once',
    '',
    table(['', ''], [...writeWatchRows(w), ...writeAlertRows(w)]),
    '',
  ];
}

export function listVersion3Targets(r: RunResults): Target[] {
  const w = r.watchers;
  if (w === undefined) return [];
  const a = w.alerts;
  return [
    {
      name: `Watchers: ${n0(w.reached)} price_alerts stored after one drop (one per watcher, none for ${n0(w.unreached)} unreached)`,
      value: `all committed ${ms(a.allVisibleAfterDropMs)} after the drop (${n0(a.stored)} stored, last stamped ${ms(a.lastStampAfterDropMs)})`,
      reference: `${n0(w.streams.delayMs.count)} sampled streams received theirs: p50 ${ms(w.streams.delayMs.p50)}, max ${ms(w.streams.delayMs.max)}`,
      ratio: '–',
      target: '≤ 1 s',
      met: w.withinOneSecond,
    },
    {
      name: 'Watchers: notifications stored per second',
      value: `${perSecond(a.storedPerSecond)} (${n0(a.transactions)} transaction(s); ${perSecond(a.storedPerSecondFromDrop)} from the drop)`,
      reference: '–',
      ratio: '–',
      target: '(reported)',
      met: null,
    },
  ];
}

export function memoryRowsV3(r: RunResults): string[][] {
  const w = r.watchers;
  return w === undefined ? [] : [['watchers', mb(w.memory.gatewayPeakBytes), mb(w.memory.consumerPeakBytes)]];
}
