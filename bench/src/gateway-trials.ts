/**
 * Issue 14's gateway targets, judged on paired trials: in each, bare hono and the gateway run
 * back to back, so both see the same machine; the trial meets the targets when the gateway
 * accepts bids at ≥ 0.6× bare hono's rate and its p99 is ≤ 1.5× bare hono's, and the gateway
 * meets them when a majority of trials (2 of 3) do. Pure: the scenario measures, this judges.
 */
import type { RunFigures } from './phases.ts';
import type { GatewaySide, GatewayTrial } from './results.ts';
import { countAccepted } from './stats.ts';

export const TRIALS = 3;
/** Gateway accepted bids/s ÷ bare hono answers/s, at least. */
export const RATE_TARGET = 0.6;
/** Gateway p99 ÷ bare hono p99 in the same trial, at most. */
export const P99_TARGET = 1.5;

/** Bare hono first in trials 1 and 3, the gateway first in trial 2, so drift favours neither. */
export function orderOf(trial: number): GatewayTrial['order'] {
  return trial % 2 === 1 ? 'bare first' : 'gateway first';
}

/** More than half the trials: 2 of 3. */
export function trialsNeeded(trials: number): number {
  return Math.floor(trials / 2) + 1;
}

/** A run's side of a trial, given the cores its server used and the bytes its workers allocated. */
export function sideOf(run: RunFigures, serverCores: number | null, allocatedBytes: number | null): GatewaySide {
  const answers = run.responses;
  return {
    run,
    acceptedPerSecond: run.seconds > 0 ? countAccepted([run]) / run.seconds : 0,
    serverCores,
    cpuMicrosPerRequest: serverCores === null || answers === 0 ? null : (serverCores * run.seconds * 1e6) / answers,
    bytesPerRequest: allocatedBytes === null || answers === 0 ? null : allocatedBytes / answers,
  };
}

export function pairTrial(trial: number, bare: GatewaySide, gateway: GatewaySide): GatewayTrial {
  // A bare run that answered nothing cannot be beaten by dividing by it.
  const ratio = bare.run.rps > 0 ? gateway.acceptedPerSecond / bare.run.rps : 0;
  const p99Ratio = gateway.run.latencyMs.p99 / bare.run.latencyMs.p99;
  const perCoreRatio =
    gateway.serverCores === null || bare.serverCores === null || bare.run.rps === 0
      ? null
      : gateway.acceptedPerSecond / gateway.serverCores / (bare.run.rps / bare.serverCores);
  const rate = ratio >= RATE_TARGET;
  const p99 = p99Ratio <= P99_TARGET;
  return {
    trial,
    order: orderOf(trial),
    bare,
    gateway,
    ratio,
    perCoreRatio,
    p99Ratio,
    met: { rate, p99, both: rate && p99 },
  };
}

export interface TrialCount {
  readonly trials: number;
  readonly needed: number;
  /** Trials that met the rate target, the p99 target, and both. */
  readonly rate: number;
  readonly p99: number;
  readonly both: number;
}

export function countTrials(trials: readonly GatewayTrial[]): TrialCount {
  return {
    trials: trials.length,
    needed: trialsNeeded(trials.length),
    rate: trials.filter((t) => t.met.rate).length,
    p99: trials.filter((t) => t.met.p99).length,
    both: trials.filter((t) => t.met.both).length,
  };
}
