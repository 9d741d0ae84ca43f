/**
 * Figures the report tests build their runs from: one shape, so each test states only what it
 * varies; and the real runs kept in fixtures/, read alike by every test that renders them.
 */
import { readFileSync } from 'node:fs';
import type { RunFigures } from './phases.ts';
import { targetsOf } from './report.ts';
import type { RunResults } from './results.ts';

export interface RunSpec {
  readonly name?: string;
  /** 202 answers. */
  readonly ok: number;
  /** 409 INSUFFICIENT_POINTS answers. */
  readonly refused?: number;
  readonly p99: number;
  readonly seconds?: number;
  readonly cpu?: Record<string, number> | null;
}

/** A closed-loop run of `seconds` (10) at 100 connections, its latencies scaled from its p99. */
export function runFigures({ name = 'run', ok, refused = 0, p99, seconds = 10, cpu = null }: RunSpec): RunFigures {
  const responses = ok + refused;
  return {
    name,
    connections: 100,
    seconds,
    sent: responses,
    responses,
    rps: responses / seconds,
    statuses: refused === 0 ? { '202': ok } : { '202': ok, '409': refused },
    codes: refused === 0 ? {} : { INSUFFICIENT_POINTS: refused },
    transportErrors: 0,
    timeouts: 0,
    latencyMs: { count: responses, min: 1, mean: p99 / 3, p50: p99 / 4, p90: p99 / 2, p99, p999: p99, max: p99 },
    schedule: null,
    histogram: [],
    cpu,
  };
}

/** A run of one scenario with the given figures, its targets judged as main.ts judges them. */
export function resultsOf(scenario: string, figures: Partial<RunResults>): RunResults {
  const r: RunResults = {
    startedAt: '2030-01-01T12:00:00.000Z',
    finishedAt: '2030-01-01T12:02:00.000Z',
    machine: { cpus: 2, node: '20.20.2', loadAverage: [1, 1, 1] },
    settings: {
      workers: 2,
      consumers: 2,
      shards: 8,
      connections: 100,
      seconds: 10,
      fixedRateShare: 0.7,
      scenarios: [scenario],
    },
    references: {},
    verification: [],
    targets: [],
    ...figures,
  };
  r.targets = targetsOf(r);
  return r;
}

/** A kept file of a real run and its rendering: fixtures/report-<name>. */
export const readFixture = (name: string) =>
  readFileSync(new URL(`./fixtures/report-${name}`, import.meta.url), 'utf8');

/** A kept run's results, its targets judged afresh (as main.ts would now judge them). */
export function loadResults(name: string): RunResults {
  const results = JSON.parse(readFixture(`${name}.json`)) as RunResults;
  results.targets = targetsOf(results);
  return results;
}
