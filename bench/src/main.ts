/**
 * `npm run bench [-- <scenario...>]`: measures the engine against its ceilings, in one run, on
 * this machine, verifies every outcome, and writes bench/results/<timestamp>.json,
 * bench/results/latest.md and bench/results/latest.svg. Exits 1 when any check fails.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { type Bench, log, PROFILE_DIR, RESULTS_DIR, setUp, tearDown } from './context.ts';
import { type Options, parseOptions, SCENARIOS } from './options.ts';
import { type CpuProfile, mergeSummaries, type ProfileSummary, summarizeProfile } from './profile-summary.ts';
import { chart, markdown, printTargets, targetsOf } from './report.ts';
import type { RunResults } from './results.ts';
import {
  measureBare,
  measureSync,
  runBurst,
  runGateway,
  runSniping,
  runSpread,
  runSustained,
  runUniform,
  runWatchers,
} from './scenarios.ts';

let options: Options;
try {
  options = parseOptions(process.argv.slice(2), process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}

const startedAt = new Date();
const results: RunResults = {
  startedAt: startedAt.toISOString(),
  finishedAt: '',
  machine: { cpus: availableParallelism(), node: process.versions.node, loadAverage: loadavg() },
  settings: { ...options, adminUrl: undefined, redisUrl: undefined },
  references: {},
  verification: [],
  targets: [],
};

const wants = new Set(options.scenarios);
/** burst measures the bare-hono ceiling itself, right before and after the gateway's runs. */
const bracketed = wants.has('burst');
const engineAfterwards = wants.has('spread') || wants.has('sustained');
const needs = {
  bareFirst: !bracketed && (wants.has('references') || engineAfterwards),
  bareLast: !bracketed && engineAfterwards,
  syncHot: wants.has('references') || wants.has('burst'),
  syncSpread: wants.has('references') || wants.has('spread'),
};

let bench: Bench | null = null;
let crashed: unknown = null;
const interrupt = () => {
  log('interrupted: cleaning up');
  const cleanup = bench === null ? Promise.resolve() : tearDown(bench);
  void cleanup.finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

try {
  bench = await setUp(options);
  // Each reference right before what it is compared with. The synchronous spread run tops
  // every buyer up (points never bind over 200 auctions), so it must come after burst, whose
  // buyers are deliberately not all able to pay.
  if (needs.bareFirst) await measureBare(bench, results, 'before');
  if (needs.syncHot) await measureSync(bench, results, 'hot');
  // Paired trials against a bare hono of its own, on an engine of its own (its GCs traced),
  // stopped before burst starts a fresh one.
  if (wants.has('gateway')) await runGateway(bench, results);
  if (wants.has('burst')) await runBurst(bench, results);
  // Sniping measures its synchronous English reference itself, right before its own run, with
  // buyers of its own; uniform bids as the shared buyers, before spread tops them all up.
  if (wants.has('sniping')) await runSniping(bench, results);
  if (wants.has('uniform')) await runUniform(bench, results);
  // Watchers of their own, on a quiet engine (before spread and sustained load it for minutes).
  if (wants.has('watchers')) await runWatchers(bench, results);
  if (needs.syncSpread) await measureSync(bench, results, 'spread');
  if (wants.has('spread')) await runSpread(bench, results);
  if (wants.has('sustained')) await runSustained(bench, results);
  if (needs.bareLast) await measureBare(bench, results, 'after');
} catch (error) {
  crashed = error;
  console.error(error);
} finally {
  if (bench !== null) await tearDown(bench).catch((error: unknown) => console.error('teardown failed:', error));
}

if (options.profile) results.profiles = summarizeProfiles(startedAt.getTime(), bench?.served ?? new Map());
results.finishedAt = new Date().toISOString();
results.targets = targetsOf(results);

mkdirSync(RESULTS_DIR, { recursive: true });
const stamp = results.startedAt.replace(/[:.]/g, '-');
const jsonPath = join(RESULTS_DIR, `${stamp}.json`);
writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
const md = markdown(results);
const svg = chart(results);
// The committed latest.md and latest.svg come from full runs only: one scenario's run must not
// replace the whole table.
const full = SCENARIOS.every((scenario) => wants.has(scenario)) && crashed === null;
if (full) {
  writeFileSync(join(RESULTS_DIR, 'latest.md'), md);
  if (svg !== null) writeFileSync(join(RESULTS_DIR, 'latest.svg'), svg);
}

console.log(`\n${md}`);
console.log(printTargets(results));
console.log(
  full
    ? `\nwrote ${jsonPath}, bench/results/latest.md, bench/results/latest.svg`
    : `\nwrote ${jsonPath} (latest.md and latest.svg are written by full runs: npm run bench)`,
);

const failed = results.verification.flatMap((v) => v.checks).filter((c) => !c.ok);
if (crashed !== null) {
  console.error('the run did not complete');
  process.exit(1);
}
if (failed.length > 0) {
  console.error(`${failed.length} verification checks failed`);
  process.exit(1);
}
process.exit(0);

function summarizeProfiles(since: number, served: ReadonlyMap<string, number>): Record<string, unknown> {
  const byRole = new Map<string, ProfileSummary[]>();
  let files: string[] = [];
  try {
    files = readdirSync(PROFILE_DIR).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return {};
  }
  for (const file of files) {
    const path = join(PROFILE_DIR, file);
    if (statSync(path).mtimeMs < since) continue;
    const role = file.split('-')[0] as string;
    const summary = summarizeProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, Number.POSITIVE_INFINITY);
    byRole.set(role, [...(byRole.get(role) ?? []), summary]);
  }
  const out: Record<string, unknown> = {};
  for (const [role, summaries] of byRole) {
    const merged = mergeSummaries(summaries, 25);
    const requests = served.get(role);
    const perRequestMs = requests === undefined || requests === 0 ? null : merged.totalMs / requests;
    out[role] = { ...merged, requests: requests ?? null, cpuMsPerRequest: perRequestMs };
    console.log(
      `\nCPU profile, ${role} (${summaries.length} processes, ${merged.totalMs} ms of CPU${perRequestMs === null ? '' : ` for ${requests} requests: ${perRequestMs.toFixed(3)} ms per request`}):`,
    );
    for (const share of merged.byPlace.slice(0, 12))
      console.log(`  ${String(share.percent).padStart(5)}%  ${share.name}`);
    console.log('  top functions:');
    for (const share of merged.byFunction.slice(0, 15))
      console.log(`  ${String(share.percent).padStart(5)}%  ${share.name}`);
  }
  return out;
}
