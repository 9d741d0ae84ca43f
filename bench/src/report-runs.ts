/**
 * The report's per-run tables: what autocannon measured for each run, and where the CPU went.
 */
import type { RunFigures } from './phases.ts';
import { div, ms, n0, table, x } from './report-format.ts';
import { listGatewayRuns } from './report-gateway.ts';
import { ceilingPerCore, ceilingRps, perCore } from './report-targets.ts';
import type { RunResults } from './results.ts';

const RUN_HEADER = [
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
];

const CPU_HEADER = [
  'run',
  'autocannon (bench)',
  'server: gateway or reference',
  'consumers',
  'redis',
  'postgres (this run)',
  'everything else on the machine',
  'total',
];

function writeRunRow(
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

/** The runs that took place, labelled; the first bare run always has a row, even when skipped. */
function listRuns(r: RunResults): [string, RunFigures | undefined][] {
  const runs: [string, RunFigures | undefined][] = [
    ['(a) bare hono + @hono/node-server, parse JSON, 202', r.references.bare],
  ];
  const { bareAfter, syncHot, syncSpread } = r.references;
  if (bareAfter) runs.push(['(a) bare hono again, after the engine runs', bareAfter]);
  if (syncHot) runs.push(['(b) synchronous, one hot auction (200/409)', syncHot.run]);
  if (syncSpread) runs.push([`(b) synchronous, ${syncSpread.auctions} auctions (200/409)`, syncSpread.run]);
  runs.push(...listGatewayRuns(r));
  if (r.burst) {
    runs.push(['burst, settlement held: max (all 202)', r.burst.backlog.max]);
    runs.push(['burst, settlement held: fixed rate (all 202)', r.burst.backlog.fixed]);
    runs.push(['burst, live consumers: max (202 until sold out, then 409)', r.burst.moment.max]);
  }
  if (r.references.syncEnglish)
    runs.push(['(b) synchronous, English (200 leading / 409)', r.references.syncEnglish.run]);
  if (r.sniping) runs.push(['sniping: one English auction, last seconds (202 / 409 at once)', r.sniping.run]);
  if (r.uniform) runs.push(['uniform: one auction across four price steps', r.uniform.run]);
  if (r.watchers)
    runs.push([`watchers: PUT /auctions/:id/watch, once per watcher (${n0(r.watchers.watch.sent)})`, r.watchers.watch]);
  if (r.spread) runs.push([`spread over ${r.spread.auctions} auctions: max`, r.spread.max]);
  if (r.sustained) runs.push([`sustained ${Math.round(r.sustained.run.seconds)} s, live consumers`, r.sustained.run]);
  return runs;
}

export function writeRuns(r: RunResults): string[] {
  const bare = ceilingRps(r);
  const barePerCore = ceilingPerCore(r);
  const rows = listRuns(r).map(([label, run]) => writeRunRow(label, run, bare, barePerCore));
  return ['## Gateway and references (autocannon)', '', table(RUN_HEADER, rows), ''];
}

function writeCpuRow(label: string, run: RunFigures): string[] {
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
}

export function writeCpu(r: RunResults): string[] {
  const cpuRuns: [string, RunFigures | undefined][] = [
    ['(a) bare hono', r.references.bare],
    ['(a) bare hono, again', r.references.bareAfter],
    ['(b) synchronous, hot', r.references.syncHot?.run],
    ['(b) synchronous, spread', r.references.syncSpread?.run],
    ...listGatewayRuns(r),
    ['burst, settlement held: max', r.burst?.backlog.max],
    ['burst, settlement held: fixed rate', r.burst?.backlog.fixed],
    ['burst, live consumers: max', r.burst?.moment.max],
    ['(b) synchronous, English', r.references.syncEnglish?.run],
    ['sniping', r.sniping?.run],
    ['uniform', r.uniform?.run],
    ['watchers: PUT watch', r.watchers?.watch],
    ['spread: max', r.spread?.max],
    ['sustained', r.sustained?.run],
  ];
  const rows = cpuRuns
    .filter((entry): entry is [string, RunFigures] => entry[1]?.cpu !== null && entry[1]?.cpu !== undefined)
    .map(([label, run]) => writeCpuRow(label, run));
  return [`## Where the CPU went during each run (cores busy, of ${r.machine.cpus})`, '', table(CPU_HEADER, rows), ''];
}
