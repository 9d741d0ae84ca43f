/**
 * The targets table: each figure the engine promises, beside the reference measured in the same
 * run, and whether it was met.
 */

import { P99_TARGET, RATE_TARGET } from './gateway-trials.ts';
import type { RunFigures } from './phases.ts';
import { div, mark, mb, ms, n0, x } from './report-format.ts';
import { listGatewayTrialTargets } from './report-gateway.ts';
import { listVersion2Targets } from './report-v2.ts';
import { listVersion3Targets } from './report-v3.ts';
import type { BurstFigures, RunResults, Target } from './results.ts';

/** A figure of the bare-hono runs before and after the engine's, averaged (one, if only one ran or measured it). */
function meanOverBare(r: RunResults, figure: (run: RunFigures) => number | null): number | undefined {
  const values = [r.references.bare, r.references.bareAfter]
    .map((run) => (run === undefined ? null : figure(run)))
    .filter((v): v is number => v !== null);
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The HTTP ceiling: bare hono's answers per second. */
export const ceilingRps = (r: RunResults) => meanOverBare(r, (run) => run.rps);

function describeCeiling(r: RunResults): string {
  const ceiling = ceilingRps(r);
  if (ceiling === undefined) return '–';
  const { bare, bareAfter } = r.references;
  return bareAfter === undefined || bare === undefined
    ? `bare hono ${n0(ceiling)}/s`
    : `bare hono ${n0(ceiling)}/s (before ${n0(bare.rps)}, after ${n0(bareAfter.rps)})`;
}

/** Whose cores count as the server's: the gateway workers, the reference servers, or both (whichever ran). */
export type ServerSide = 'gateway' | 'reference' | 'either';

/**
 * Cores the server processes (gateway workers or a reference server) used during a run. With
 * both up (the gateway scenario), `side` leaves out the idle one's.
 */
export function serverCores(run: RunFigures, side: ServerSide = 'either'): number | null {
  if (run.cpu === null) return null;
  const counts = (role: string) =>
    (side !== 'reference' && role === 'gateway workers') || (side !== 'gateway' && role.startsWith('reference'));
  const cores = Object.entries(run.cpu)
    .filter(([role]) => counts(role))
    .reduce((n, [, c]) => n + c, 0);
  return cores > 0 ? cores : null;
}

/** Answers per second per core the server used: robust to how much of the machine others took. */
export function perCore(run: RunFigures | undefined): number | null {
  if (run === undefined) return null;
  const cores = serverCores(run);
  return cores === null ? null : run.rps / cores;
}

const ceilingP99 = (r: RunResults) => meanOverBare(r, (run) => run.latencyMs.p99);

/** The bare ceiling per server core. */
export const ceilingPerCore = (r: RunResults) => meanOverBare(r, perCore);

function listGatewayTargets(r: RunResults, burst: BurstFigures): Target[] {
  const accept = burst.backlog.max;
  const bare = r.references.bare;
  const ratio = div(accept.rps, ceilingRps(r));
  const coreRatio = div(perCore(accept) ?? undefined, ceilingPerCore(r));
  const bareAfter = r.references.bareAfter;
  const p99Ratio = div(accept.latencyMs.p99, ceilingP99(r));
  return [
    {
      name: 'Gateway accepted bids/s (100 conns, every bid 202: auth, validation, idempotency, XADD)',
      value: `${n0(accept.rps)}/s`,
      reference: describeCeiling(r),
      ratio: `${x(ratio)} (per server core: ${x(coreRatio)})`,
      target: `≥ ${RATE_TARGET}× bare hono`,
      met: ratio === null ? null : ratio >= RATE_TARGET,
    },
    {
      name: 'Gateway p99 at 100 connections (same run)',
      value: `${ms(accept.latencyMs.p99)} (p50 ${ms(accept.latencyMs.p50)}, p99.9 ${ms(accept.latencyMs.p999)})`,
      reference:
        bare === undefined
          ? '–'
          : `bare hono p99 ${ms(bare.latencyMs.p99)}${bareAfter === undefined ? '' : ` / ${ms(bareAfter.latencyMs.p99)} after`}`,
      ratio: x(p99Ratio),
      target: `≤ ${P99_TARGET}× bare hono p99 (mean)`,
      met: p99Ratio === null ? null : p99Ratio <= P99_TARGET,
    },
  ];
}

function listBurstTargets(r: RunResults, burst: BurstFigures): Target[] {
  const syncHot = r.references.syncHot;
  const hot = burst.backlog.drain.rate;
  const hotRatio = div(hot, syncHot?.settledPerSecond);
  const mem = burst.memory;
  return [
    {
      name: 'Hot-auction settlement bids/s (one auction, backlog drained by the consumers)',
      value: `${n0(hot)}/s`,
      reference: syncHot === undefined ? '–' : `synchronous ${n0(syncHot.settledPerSecond)}/s`,
      ratio: x(hotRatio),
      target: '≥ 10× synchronous and ≥ 31,000/s',
      met: hotRatio === null ? null : hotRatio >= 10 && hot >= 31_000,
    },
    {
      name: `Burst: last receipt final after the last 202 (${n0(burst.moment.accepted)} bids accepted, rest refused SOLD_OUT)`,
      value: ms(burst.moment.lastAcceptedToLastFinalMs),
      reference: `first bid → last final ${ms(burst.moment.firstBidToLastFinalMs)}`,
      ratio: '–',
      target: '≤ 1 s',
      met: burst.moment.lastAcceptedToLastFinalMs <= 1_000,
    },
    {
      name: 'Peak RSS during burst: gateway worker / consumer',
      value: `${mb(mem.gatewayPeakBytes)} / ${mb(mem.consumerPeakBytes)}`,
      reference: '–',
      ratio: '–',
      target: '≤ 200 MB each',
      met:
        mem.gatewayPeakBytes === null || mem.consumerPeakBytes === null
          ? null
          : Math.max(mem.gatewayPeakBytes, mem.consumerPeakBytes) <= 200 * 1024 * 1024,
    },
  ];
}

function listSpreadTargets(r: RunResults): Target[] {
  if (r.spread === undefined) return [];
  const syncSpread = r.references.syncSpread;
  return [
    {
      name: `Spread settlement bids/s (${r.spread.auctions} auctions, backlog drained)`,
      value: `${n0(r.spread.drain.rate)}/s`,
      reference: syncSpread === undefined ? '–' : `synchronous ${n0(syncSpread.settledPerSecond)}/s`,
      ratio: x(div(r.spread.drain.rate, syncSpread?.settledPerSecond)),
      target: '(reported)',
      met: null,
    },
  ];
}

function listSustainedTargets(r: RunResults): Target[] {
  const s = r.sustained;
  if (s === undefined) return [];
  return [
    {
      name: `Sustained ${n0(s.rate)} bids/s for ${Math.round(s.run.seconds)} s: accept→settle p50 / p99 / max`,
      value: `${ms(s.acceptSettleMs.p50)} / ${ms(s.acceptSettleMs.p99)} / ${ms(s.acceptSettleMs.max)}`,
      reference: `max stream lag ${n0(s.maxLag)}`,
      ratio: '–',
      target: '(consumers keep up)',
      met: null,
    },
  ];
}

function describeVerification(r: RunResults): Target {
  const checks = r.verification.flatMap((v) => v.checks);
  const failed = checks.filter((c) => !c.ok).length;
  return {
    name: 'Verification in Postgres and Redis',
    value: `${checks.length - failed} of ${checks.length} checks hold (${r.verification.length} phases)`,
    reference: '–',
    ratio: '–',
    target: 'zero failures',
    met: failed === 0,
  };
}

/** The gateway's targets from the paired trials when they ran, else from burst's held backlog. */
function listAcceptPathTargets(r: RunResults): Target[] {
  if (r.gateway !== undefined) return listGatewayTrialTargets(r.gateway);
  return r.burst === undefined ? [] : listGatewayTargets(r, r.burst);
}

export function targetsOf(r: RunResults): Target[] {
  return [
    ...listAcceptPathTargets(r),
    ...(r.burst === undefined ? [] : listBurstTargets(r, r.burst)),
    ...listVersion2Targets(r),
    ...listVersion3Targets(r),
    ...listSpreadTargets(r),
    ...listSustainedTargets(r),
    describeVerification(r),
  ];
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
