/**
 * The report's section for the gateway scenario (issue 14): each paired trial against bare
 * hono, and the gateway targets judged on them (a majority of trials must meet them).
 */
import { countTrials, P99_TARGET, RATE_TARGET } from './gateway-trials.ts';
import type { RunFigures } from './phases.ts';
import { kb, mark, micros, ms, n0, table, x } from './report-format.ts';
import type { GatewayFigures, GatewayTrial, RunResults, Target } from './results.ts';

const listed = (trials: readonly GatewayTrial[], format: (t: GatewayTrial) => string) => trials.map(format).join(', ');

export function listGatewayTrialTargets(g: GatewayFigures): Target[] {
  const c = countTrials(g.trials);
  const of = `${c.needed} of ${c.trials} trials`;
  const t = g.trials;
  return [
    {
      name: `Gateway accepted bids/s, ${c.trials} paired trials (100 conns, settlement held: auth, validation, idempotency, XADD)`,
      value: listed(t, (trial) => x(trial.ratio)),
      reference: `gateway ${listed(t, (trial) => n0(trial.gateway.acceptedPerSecond))} bids/s vs bare hono ${listed(t, (trial) => n0(trial.bare.run.rps))} req/s`,
      ratio: `per server core: ${listed(t, (trial) => x(trial.perCoreRatio))}`,
      target: `≥ ${RATE_TARGET}× bare hono in ≥ ${of}`,
      met: c.rate >= c.needed,
    },
    {
      name: 'Gateway p99 at 100 connections / bare hono p99 in the same trial',
      value: listed(t, (trial) => x(trial.p99Ratio)),
      reference: `gateway ${listed(t, (trial) => ms(trial.gateway.run.latencyMs.p99))} vs bare hono ${listed(t, (trial) => ms(trial.bare.run.latencyMs.p99))}`,
      ratio: '–',
      target: `≤ ${P99_TARGET}× in ≥ ${of}`,
      met: c.p99 >= c.needed,
    },
    {
      name: 'Gateway targets (issue 14): both in the same trial',
      value: `gateway targets met in ${c.both} of ${c.trials} trials`,
      reference: `rate met in ${c.rate}, p99 in ${c.p99}`,
      ratio: '–',
      target: `both in ≥ ${of}`,
      met: c.both >= c.needed,
    },
    {
      name: 'Gateway p99 at 100 connections, absolute',
      value: listed(t, (trial) => ms(trial.gateway.run.latencyMs.p99)),
      reference: `bare hono ${listed(t, (trial) => ms(trial.bare.run.latencyMs.p99))}`,
      ratio: '–',
      target: '≤ 10 ms (informational: issue 14 judges the ratio)',
      met: null,
    },
  ];
}

function describeMet(t: GatewayTrial): string {
  if (t.met.both) return `${mark(true)} both`;
  const missed = [...(t.met.rate ? [] : ['rate']), ...(t.met.p99 ? [] : ['p99'])];
  return `${mark(false)} missed ${missed.join(' and ')}`;
}

function writeTrialRow(t: GatewayTrial): string[] {
  return [
    String(t.trial),
    t.order,
    n0(t.bare.run.rps),
    n0(t.gateway.acceptedPerSecond),
    x(t.ratio),
    x(t.perCoreRatio),
    ms(t.bare.run.latencyMs.p99),
    ms(t.gateway.run.latencyMs.p99),
    x(t.p99Ratio),
    `${micros(t.bare.cpuMicrosPerRequest)} / ${micros(t.gateway.cpuMicrosPerRequest)}`,
    `${kb(t.bare.bytesPerRequest)} / ${kb(t.gateway.bytesPerRequest)}`,
    describeMet(t),
  ];
}

const HEADER = [
  'trial',
  'order',
  'bare req/s',
  'gateway bids/s (202)',
  'ratio',
  'per-core ratio',
  'bare p99',
  'gateway p99',
  'p99 ratio',
  'CPU µs/request bare / gateway',
  'heap allocated/request bare / gateway',
  'met',
];

/** The section, or nothing when the scenario did not run (older results render as before). */
export function writeGatewayTrials(r: RunResults): string[] {
  const g = r.gateway;
  if (g === undefined) return [];
  const c = countTrials(g.trials);
  return [
    '## Gateway vs bare hono (paired trials)',
    '',
    `Each trial runs bare hono and the gateway back to back (${n0(g.trials[0]?.bare.run.connections)} connections, ${n0(g.trials[0]?.bare.run.seconds)} s each), settlement held so every bid takes the whole accept path. ` +
      `A trial meets the targets when the gateway accepts ≥ ${RATE_TARGET}× bare hono's requests/s with a p99 ≤ ${P99_TARGET}× bare hono's. ` +
      `**Gateway targets met in ${c.both} of ${c.trials} trials** (needed: ${c.needed}).`,
    '',
    table(HEADER, g.trials.map(writeTrialRow)),
    '',
  ];
}

/** The trials' runs, for the runs and CPU tables. */
export function listGatewayRuns(r: RunResults): [string, RunFigures][] {
  return (r.gateway?.trials ?? []).flatMap((t): [string, RunFigures][] => {
    const bare: [string, RunFigures] = [`gateway trial ${t.trial}: bare hono`, t.bare.run];
    const gateway: [string, RunFigures] = [`gateway trial ${t.trial}: gateway, settlement held`, t.gateway.run];
    return t.order === 'bare first' ? [bare, gateway] : [gateway, bare];
  });
}
