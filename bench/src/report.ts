/**
 * Turns a run's results into the targets table, the markdown report and the SVG chart.
 */
import { type Panel, renderChart } from './chart.ts';
import type { RunFigures } from './phases.ts';
import type { MemoryFigures, RunResults, Target, Timeline } from './results.ts';
import { ratePoints } from './stats.ts';

const n0 = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US');
const ms = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`;
const mb = (bytes: number | null | undefined) =>
  bytes === null || bytes === undefined ? '–' : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const x = (ratio: number | null) => (ratio === null || !Number.isFinite(ratio) ? '–' : `${ratio.toFixed(2)}×`);
const div = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? null : a / b;

/** The HTTP ceiling: the mean of the bare-hono runs before and after the engine's (one, if only one ran). */
export function ceilingRps(r: RunResults): number | undefined {
  const runs = [r.references.bare, r.references.bareAfter].filter((run) => run !== undefined);
  return runs.length === 0 ? undefined : runs.reduce((n, run) => n + run.rps, 0) / runs.length;
}

function ceilingText(r: RunResults): string {
  const ceiling = ceilingRps(r);
  if (ceiling === undefined) return '–';
  const { bare, bareAfter } = r.references;
  return bareAfter === undefined || bare === undefined
    ? `bare hono ${n0(ceiling)}/s`
    : `bare hono ${n0(ceiling)}/s (before ${n0(bare.rps)}, after ${n0(bareAfter.rps)})`;
}

export function targetsOf(r: RunResults): Target[] {
  const targets: Target[] = [];
  const bare = r.references.bare;
  const ceiling = ceilingRps(r);
  const syncHot = r.references.syncHot;
  const syncSpread = r.references.syncSpread;
  const burst = r.burst;
  if (burst !== undefined) {
    const accept = burst.backlog.max;
    const ratio = div(accept.rps, ceiling);
    const coreRatio = div(perCore(accept) ?? undefined, ceilingPerCore(r));
    targets.push({
      name: 'Gateway accepted bids/s (100 conns, every bid 202: auth, validation, idempotency, XADD)',
      value: `${n0(accept.rps)}/s`,
      reference: ceilingText(r),
      ratio: `${x(ratio)} (per server core: ${x(coreRatio)})`,
      target: '≥ 0.6× bare hono',
      met: ratio === null ? null : ratio >= 0.6,
    });
    targets.push({
      name: 'Gateway p99 at 100 connections (same run)',
      value: `${ms(accept.latencyMs.p99)} (p50 ${ms(accept.latencyMs.p50)}, p99.9 ${ms(accept.latencyMs.p999)})`,
      reference:
        bare === undefined
          ? '–'
          : `bare hono p99 ${ms(bare.latencyMs.p99)}${r.references.bareAfter === undefined ? '' : ` / ${ms(r.references.bareAfter.latencyMs.p99)} after`}`,
      ratio: x(div(accept.latencyMs.p99, bare?.latencyMs.p99)),
      target: '≤ 10 ms',
      met: accept.latencyMs.p99 <= 10,
    });
    const hot = burst.backlog.drain.rate;
    const hotRatio = div(hot, syncHot?.settledPerSecond);
    targets.push({
      name: 'Hot-auction settlement bids/s (one auction, backlog drained by the consumers)',
      value: `${n0(hot)}/s`,
      reference: syncHot === undefined ? '–' : `synchronous ${n0(syncHot.settledPerSecond)}/s`,
      ratio: x(hotRatio),
      target: '≥ 10× synchronous and ≥ 31,000/s',
      met: hotRatio === null ? null : hotRatio >= 10 && hot >= 31_000,
    });
    targets.push({
      name: `Burst: last receipt final after the last 202 (${n0(burst.moment.accepted)} bids accepted, rest refused SOLD_OUT)`,
      value: ms(burst.moment.lastAcceptedToLastFinalMs),
      reference: `first bid → last final ${ms(burst.moment.firstBidToLastFinalMs)}`,
      ratio: '–',
      target: '≤ 1 s',
      met: burst.moment.lastAcceptedToLastFinalMs <= 1_000,
    });
    const mem = burst.memory;
    targets.push({
      name: 'Peak RSS during burst: gateway worker / consumer',
      value: `${mb(mem.gatewayPeakBytes)} / ${mb(mem.consumerPeakBytes)}`,
      reference: '–',
      ratio: '–',
      target: '≤ 200 MB each',
      met:
        mem.gatewayPeakBytes === null || mem.consumerPeakBytes === null
          ? null
          : Math.max(mem.gatewayPeakBytes, mem.consumerPeakBytes) <= 200 * 1024 * 1024,
    });
  }
  if (r.spread !== undefined) {
    const ratio = div(r.spread.drain.rate, syncSpread?.settledPerSecond);
    targets.push({
      name: `Spread settlement bids/s (${r.spread.auctions} auctions, backlog drained)`,
      value: `${n0(r.spread.drain.rate)}/s`,
      reference: syncSpread === undefined ? '–' : `synchronous ${n0(syncSpread.settledPerSecond)}/s`,
      ratio: x(ratio),
      target: '(reported)',
      met: null,
    });
  }
  if (r.sustained !== undefined) {
    const s = r.sustained;
    targets.push({
      name: `Sustained ${n0(s.rate)} bids/s for ${Math.round(s.run.seconds)} s: accept→settle p50 / p99 / max`,
      value: `${ms(s.acceptSettleMs.p50)} / ${ms(s.acceptSettleMs.p99)} / ${ms(s.acceptSettleMs.max)}`,
      reference: `max stream lag ${n0(s.maxLag)}`,
      ratio: '–',
      target: '(consumers keep up)',
      met: null,
    });
  }
  const checks = r.verification.flatMap((v) => v.checks);
  const failed = checks.filter((c) => !c.ok).length;
  targets.push({
    name: 'Verification in Postgres and Redis',
    value: `${checks.length - failed} of ${checks.length} checks hold (${r.verification.length} phases)`,
    reference: '–',
    ratio: '–',
    target: 'zero failures',
    met: failed === 0,
  });
  return targets;
}

const mark = (met: boolean | null) => (met === null ? '' : met ? '✅' : '❌');
const cell = (text: string) => text.replace(/\|/g, '\\|');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** Cores the server processes (gateway workers or a reference server) used during a run. */
export function serverCores(run: RunFigures): number | null {
  if (run.cpu === null) return null;
  const cores = Object.entries(run.cpu)
    .filter(([role]) => role === 'gateway workers' || role.startsWith('reference'))
    .reduce((n, [, c]) => n + c, 0);
  return cores > 0 ? cores : null;
}

/** Answers per second per core the server used: robust to how much of the machine others took. */
export function perCore(run: RunFigures | undefined): number | null {
  if (run === undefined) return null;
  const cores = serverCores(run);
  return cores === null ? null : run.rps / cores;
}

/** The bare ceiling per server core: the mean over the bare runs. */
export function ceilingPerCore(r: RunResults): number | undefined {
  const values = [perCore(r.references.bare), perCore(r.references.bareAfter)].filter((v): v is number => v !== null);
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

function runRow(
  label: string,
  run: RunFigures | undefined,
  bareRps: number | undefined,
  barePerCore: number | undefined,
): string[] {
  if (run === undefined) return [label, '–', '–', '–', '–', '–', '–', '–', '–', '–', '–', '–'];
  const two = Object.entries(run.statuses).reduce((n, [s, c]) => n + (s.startsWith('2') ? c : 0), 0);
  const refused = Object.entries(run.codes)
    .map(([code, count]) => `${code} ${n0(count)}`)
    .join(', ');
  const errors = run.transportErrors + run.timeouts;
  const rate = run.schedule === null ? '' : ` (rate ${n0(run.schedule.rate)}/s, ${n0(run.schedule.omitted)} omitted)`;
  return [
    `${label}${rate}`,
    n0(run.rps),
    n0(two),
    refused === '' ? '0' : refused,
    String(errors),
    ms(run.latencyMs.p50),
    ms(run.latencyMs.p99),
    ms(run.latencyMs.p999),
    ms(run.latencyMs.max),
    x(div(run.rps, bareRps)),
    n0(perCore(run)),
    x(div(perCore(run) ?? undefined, barePerCore)),
  ];
}

function memoryRow(label: string, m: MemoryFigures | undefined): string[] {
  if (m === undefined) return [label, '–', '–'];
  return [label, mb(m.gatewayPeakBytes), mb(m.consumerPeakBytes)];
}

export function markdown(r: RunResults): string {
  const s = r.settings as Record<string, unknown>;
  const bare = ceilingRps(r);
  const barePerCore = ceilingPerCore(r);
  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(
    `Run ${r.startedAt} on ${r.machine.cpus} cores (Node ${r.machine.node}, load average at start ${r.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}). ` +
      `Engine: \`apps/gateway/src/start.ts\` with GATEWAY_WORKERS=${s.workers}, CONSUMERS=${s.consumers}, SHARDS=${s.shards}; ` +
      `autocannon ${s.connections} connections, ${s.seconds} s runs, fixed-rate runs at ${Math.round(Number(s.fixedRateShare) * 100)}% of the maximum just measured. ` +
      `Scenarios: ${(s.scenarios as string[]).join(', ')}. The machine is shared and noisy: read the ratios, which compare against references measured in this same run.`,
    '',
  );
  lines.push('## Targets', '');
  lines.push(
    table(
      ['', 'measured', 'reference (same run)', 'ratio', 'target', ''],
      r.targets.map((t) => [t.name, t.value, t.reference, t.ratio, t.target, mark(t.met)]),
    ),
    '',
  );

  lines.push('## Gateway and references (autocannon)', '');
  const rows: string[][] = [];
  rows.push(runRow('(a) bare hono + @hono/node-server, parse JSON, 202', r.references.bare, bare, barePerCore));
  if (r.references.bareAfter)
    rows.push(runRow('(a) bare hono again, after the engine runs', r.references.bareAfter, bare, barePerCore));
  if (r.references.syncHot)
    rows.push(runRow('(b) synchronous, one hot auction (200/409)', r.references.syncHot.run, bare, barePerCore));
  if (r.references.syncSpread)
    rows.push(
      runRow(
        `(b) synchronous, ${r.references.syncSpread.auctions} auctions (200/409)`,
        r.references.syncSpread.run,
        bare,
        barePerCore,
      ),
    );
  if (r.burst) {
    rows.push(runRow('burst, settlement held: max (all 202)', r.burst.backlog.max, bare, barePerCore));
    rows.push(runRow('burst, settlement held: fixed rate (all 202)', r.burst.backlog.fixed, bare, barePerCore));
    rows.push(
      runRow('burst, live consumers: max (202 until sold out, then 409)', r.burst.moment.max, bare, barePerCore),
    );
  }
  if (r.spread) rows.push(runRow(`spread over ${r.spread.auctions} auctions: max`, r.spread.max, bare, barePerCore));
  if (r.sustained)
    rows.push(
      runRow(`sustained ${Math.round(r.sustained.run.seconds)} s, live consumers`, r.sustained.run, bare, barePerCore),
    );
  lines.push(
    table(
      [
        'run',
        'answers/s',
        '2xx',
        'refused (409 code)',
        'errors',
        'p50',
        'p99',
        'p99.9',
        'max',
        'vs bare (mean)',
        'answers/s per server core',
        'per core vs bare',
      ],
      rows,
    ),
    '',
  );

  lines.push(`## Where the CPU went during each run (cores busy, of ${r.machine.cpus})`, '');
  const cpuRuns: [string, RunFigures | undefined][] = [
    ['(a) bare hono', r.references.bare],
    ['(a) bare hono, again', r.references.bareAfter],
    ['(b) synchronous, hot', r.references.syncHot?.run],
    ['(b) synchronous, spread', r.references.syncSpread?.run],
    ['burst, settlement held: max', r.burst?.backlog.max],
    ['burst, settlement held: fixed rate', r.burst?.backlog.fixed],
    ['burst, live consumers: max', r.burst?.moment.max],
    ['spread: max', r.spread?.max],
    ['sustained', r.sustained?.run],
  ];
  const cpuRows = cpuRuns
    .filter((entry): entry is [string, RunFigures] => entry[1]?.cpu !== null && entry[1]?.cpu !== undefined)
    .map(([label, run]) => {
      const c = run.cpu ?? {};
      const get = (...keys: string[]) => keys.reduce((n, k) => n + (c[k] ?? 0), 0);
      const reference = Object.entries(c)
        .filter(([k]) => k.startsWith('reference'))
        .reduce((n, [, v]) => n + v, 0);
      return [
        label,
        get('load generator (bench)').toFixed(2),
        (get('gateway workers') + reference).toFixed(2),
        get('consumers').toFixed(2),
        get('redis').toFixed(2),
        get('postgres (this run)').toFixed(2),
        get('other processes', 'postgres (other)', 'kernel and exited', 'engine launcher').toFixed(2),
        get('machine total (of cpus)').toFixed(2),
      ];
    });
  lines.push(
    table(
      [
        'run',
        'autocannon (bench)',
        'server: gateway or reference',
        'consumers',
        'redis',
        'postgres (this run)',
        'everything else on the machine',
        'total',
      ],
      cpuRows,
    ),
    '',
  );

  lines.push('## Settlement', '');
  const settle: string[][] = [];
  const syncHot = r.references.syncHot?.settledPerSecond;
  const syncSpread = r.references.syncSpread?.settledPerSecond;
  if (r.references.syncHot)
    settle.push([
      'synchronous, one hot auction: one transaction per bid under the row lock',
      n0(r.references.syncHot.receipts),
      `${n0(syncHot)}/s`,
      '1.00×',
    ]);
  if (r.references.syncSpread)
    settle.push([
      `synchronous, ${r.references.syncSpread.auctions} auctions`,
      n0(r.references.syncSpread.receipts),
      `${n0(syncSpread)}/s`,
      '1.00×',
    ]);
  if (r.burst)
    settle.push([
      'consumers, one hot auction: backlog drain',
      n0(r.burst.backlog.drain.receipts),
      `${n0(r.burst.backlog.drain.rate)}/s`,
      x(div(r.burst.backlog.drain.rate, syncHot)),
    ]);
  if (r.spread)
    settle.push([
      `consumers, ${r.spread.auctions} auctions: backlog drain`,
      n0(r.spread.drain.receipts),
      `${n0(r.spread.drain.rate)}/s`,
      x(div(r.spread.drain.rate, syncSpread)),
    ]);
  if (r.sustained)
    settle.push([
      `consumers, live at a fixed ${n0(r.sustained.rate)}/s (${r.sustained.auctions} auctions)`,
      n0(r.sustained.accepted),
      `${n0(r.sustained.settledPerSecond)}/s`,
      x(div(r.sustained.settledPerSecond, syncSpread)),
    ]);
  lines.push(table(['', 'bids settled', 'bids/s', 'vs synchronous (same shape)'], settle), '');

  lines.push('## End to end', '');
  const e2e: string[][] = [];
  if (r.burst) {
    const m = r.burst.moment;
    e2e.push([
      `burst, live consumers (${n0(m.accepted)} × 202, ${n0(m.receipts)} receipts)`,
      ms(m.firstBidToLastFinalMs),
      ms(m.lastAcceptedToLastFinalMs),
      `${ms(m.acceptSettleMs.p50)} / ${ms(m.acceptSettleMs.p99)} / ${ms(m.acceptSettleMs.max)}`,
    ]);
    const d = r.burst.backlog.drain;
    e2e.push([
      `burst backlog (${n0(r.burst.backlog.accepted)} × 202 while settlement was held ${ms(r.burst.backlog.max.seconds * 1000 + r.burst.backlog.fixed.seconds * 1000)})`,
      '–',
      `${ms(d.releaseToLastMs)} after release`,
      '–',
    ]);
  }
  if (r.sustained) {
    const su = r.sustained;
    e2e.push([
      `sustained ${n0(su.rate)}/s (max stream lag ${n0(su.maxLag)}, max unacknowledged ${n0(su.maxPending)})`,
      '–',
      '–',
      `${ms(su.acceptSettleMs.p50)} / ${ms(su.acceptSettleMs.p99)} / ${ms(su.acceptSettleMs.max)}`,
    ]);
  }
  lines.push(table(['', 'first bid → last final', 'last 202 → last final', 'accept→settle p50 / p99 / max'], e2e), '');

  lines.push('## Memory (peak VmRSS, sampled every 100 ms)', '');
  lines.push(
    table(
      ['scenario', 'gateway worker (max)', 'consumer (max)'],
      [
        ...(r.burst ? [memoryRow('burst', r.burst.memory)] : []),
        ...(r.spread ? [memoryRow('spread', r.spread.memory)] : []),
        ...(r.sustained ? [memoryRow('sustained', r.sustained.memory)] : []),
      ],
    ),
    '',
  );

  lines.push('## Verification', '');
  lines.push(
    table(
      ['phase', 'check', '', 'detail'],
      r.verification.flatMap((v) => v.checks.map((c) => [v.phase, c.name, c.ok ? '✅' : '❌', c.detail])),
    ),
    '',
  );
  lines.push(
    '![accepted and settled bids per second, and latency](latest.svg)',
    '',
    'How each figure is measured: see [bench/README.md](../README.md).',
    '',
  );
  return lines.join('\n');
}

function timelinePanel(title: string, t: Timeline): Panel {
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

export function chart(r: RunResults): string | null {
  if (r.burst === undefined) return null;
  const panels: Panel[] = [
    timelinePanel(
      `burst, live consumers, stock 1,000 (${r.burst.timelines.moment.bucketMs} ms buckets)`,
      r.burst.timelines.moment,
    ),
    timelinePanel(
      `burst, settlement held, then released (${r.burst.timelines.backlog.bucketMs} ms buckets)`,
      r.burst.timelines.backlog,
    ),
  ];
  const fixed = r.burst.backlog.fixed;
  panels.push({
    kind: 'histogram',
    title: `gateway latency, burst fixed-rate run at ${n0(fixed.schedule?.rate)}/s, every bid 202 (${n0(fixed.responses)})`,
    xLabel: 'milliseconds (log scale)',
    bins: fixed.histogram.filter((_, i, all) => all.slice(i).some((b) => b.count > 0)),
    color: '#2ca02c',
    markers: [
      { x: fixed.latencyMs.p50, label: `p50 ${ms(fixed.latencyMs.p50)}` },
      { x: fixed.latencyMs.p99, label: `p99 ${ms(fixed.latencyMs.p99)}` },
    ],
  });
  if (r.sustained !== undefined) {
    panels.push({
      kind: 'line',
      title: `sustained ${n0(r.sustained.rate)} bids/s: stream lag and pending (XINFO GROUPS)`,
      xLabel: 'seconds',
      yLabel: 'entries',
      series: [
        { name: 'lag (not yet delivered)', color: '#9467bd', points: r.sustained.lag.map((l) => [l.t / 1000, l.lag]) },
        {
          name: 'pending (not yet acked)',
          color: '#8c564b',
          points: r.sustained.lag.map((l) => [l.t / 1000, l.pending]),
        },
      ],
    });
  }
  return renderChart(`Dutch-auction engine benchmark, ${r.startedAt}`, panels);
}

export function printTargets(r: RunResults): string {
  const width = Math.max(...r.targets.map((t) => t.name.length));
  return r.targets
    .map(
      (t) =>
        `${mark(t.met) || '  '} ${t.name.padEnd(width)}  ${t.value}${t.reference === '–' ? '' : `  vs ${t.reference}`}${t.ratio === '–' ? '' : ` = ${t.ratio}`}  (target ${t.target})`,
    )
    .join('\n');
}
