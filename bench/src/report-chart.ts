/**
 * The report's SVG: accepted and settled bids over time, the gateway's latency, the stream's lag.
 */
import { type Panel, renderChart } from './chart.ts';
import { ms, n0 } from './report-format.ts';
import type { BurstFigures, RunResults, SustainedFigures, Timeline } from './results.ts';
import { ratePoints } from './stats.ts';

function drawTimeline(title: string, t: Timeline): Panel {
  const toSeconds = (points: [number, number][]) => points.map(([ms, y]) => [ms / 1000, y] as [number, number]);
  return {
    kind: 'line',
    title,
    xLabel: 'seconds',
    yLabel: 'bids per second',
    series: [
      {
        name: 'accepted (202s by acceptedAt)',
        color: '#1f77b4',
        points: toSeconds(ratePoints(t.accepted, t.bucketMs)),
      },
      { name: 'settled (by settled_at)', color: '#d62728', points: toSeconds(ratePoints(t.settled, t.bucketMs)) },
    ],
    markers: t.markers.map((m) => ({ x: m.atMs / 1000, label: m.label })),
  };
}

function drawLatency(burst: BurstFigures): Panel {
  const fixed = burst.backlog.fixed;
  return {
    kind: 'histogram',
    title: `gateway latency, burst fixed-rate run at ${n0(fixed.schedule?.rate)}/s, every bid 202 (${n0(fixed.responses)})`,
    xLabel: 'milliseconds (log scale)',
    bins: fixed.histogram.filter((_, i, all) => all.slice(i).some((b) => b.count > 0)),
    color: '#2ca02c',
    markers: [
      { x: fixed.latencyMs.p50, label: `p50 ${ms(fixed.latencyMs.p50)}` },
      { x: fixed.latencyMs.p99, label: `p99 ${ms(fixed.latencyMs.p99)}` },
    ],
  };
}

function drawLag(sustained: SustainedFigures): Panel {
  return {
    kind: 'line',
    title: `sustained ${n0(sustained.rate)} bids/s: stream lag and pending (XINFO GROUPS)`,
    xLabel: 'seconds',
    yLabel: 'entries',
    series: [
      { name: 'lag (not yet delivered)', color: '#9467bd', points: sustained.lag.map((l) => [l.t / 1000, l.lag]) },
      {
        name: 'pending (not yet acked)',
        color: '#8c564b',
        points: sustained.lag.map((l) => [l.t / 1000, l.pending]),
      },
    ],
  };
}

/** The chart, or null when no burst ran: its timelines are the chart's reason to exist. */
export function chart(r: RunResults): string | null {
  if (r.burst === undefined) return null;
  const { moment, backlog } = r.burst.timelines;
  const panels: Panel[] = [
    drawTimeline(`burst, live consumers, stock 1,000 (${moment.bucketMs} ms buckets)`, moment),
    drawTimeline(`burst, settlement held, then released (${backlog.bucketMs} ms buckets)`, backlog),
    drawLatency(r.burst),
  ];
  if (r.sustained !== undefined) panels.push(drawLag(r.sustained));
  return renderChart(`Dutch-auction engine benchmark, ${r.startedAt}`, panels);
}
