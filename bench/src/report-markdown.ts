/**
 * The markdown report: one function per section, in the order they are read.
 */
import { div, mark, mb, ms, n0, table, x } from './report-format.ts';
import { writeGatewayTrials } from './report-gateway.ts';
import { writeCpu, writeRuns } from './report-runs.ts';
import { memoryRowsV2, writeVersion2 } from './report-v2.ts';
import { memoryRowsV3, writeVersion3 } from './report-v3.ts';
import type { MemoryFigures, RunResults } from './results.ts';

function writeIntro(r: RunResults): string[] {
  const s = r.settings as Record<string, unknown>;
  return [
    '# Benchmark results',
    '',
    `Run ${r.startedAt} on ${r.machine.cpus} cores (Node ${r.machine.node}, load average at start ${r.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}). ` +
      `Engine: \`apps/launcher/src/start.ts\` with GATEWAY_WORKERS=${s.workers}, CONSUMERS=${s.consumers}, SHARDS=${s.shards}; ` +
      `autocannon ${s.connections} connections, ${s.seconds} s runs, fixed-rate runs at ${Math.round(Number(s.fixedRateShare) * 100)}% of the maximum just measured. ` +
      `Scenarios: ${(s.scenarios as string[]).join(', ')}. The machine is shared and noisy: read the ratios, which compare against references measured in this same run.`,
    '',
  ];
}

function writeTargets(r: RunResults): string[] {
  const rows = r.targets.map((t) => [t.name, t.value, t.reference, t.ratio, t.target, mark(t.met)]);
  return ['## Targets', '', table(['', 'measured', 'reference (same run)', 'ratio', 'target', ''], rows), ''];
}

function listSettlementRows(r: RunResults): string[][] {
  const rows: string[][] = [];
  const { syncHot, syncSpread } = r.references;
  if (syncHot)
    rows.push([
      'synchronous, one hot auction: one transaction per bid under the row lock',
      n0(syncHot.receipts),
      `${n0(syncHot.settledPerSecond)}/s`,
      '1.00×',
    ]);
  if (syncSpread)
    rows.push([
      `synchronous, ${syncSpread.auctions} auctions`,
      n0(syncSpread.receipts),
      `${n0(syncSpread.settledPerSecond)}/s`,
      '1.00×',
    ]);
  const { burst, spread, sustained } = r;
  if (burst) {
    const drain = burst.backlog.drain;
    rows.push([
      'consumers, one hot auction: backlog drain',
      n0(drain.receipts),
      `${n0(drain.rate)}/s`,
      x(div(drain.rate, syncHot?.settledPerSecond)),
    ]);
  }
  if (spread)
    rows.push([
      `consumers, ${spread.auctions} auctions: backlog drain`,
      n0(spread.drain.receipts),
      `${n0(spread.drain.rate)}/s`,
      x(div(spread.drain.rate, syncSpread?.settledPerSecond)),
    ]);
  if (sustained)
    rows.push([
      `consumers, live at a fixed ${n0(sustained.rate)}/s (${sustained.auctions} auctions)`,
      n0(sustained.accepted),
      `${n0(sustained.settledPerSecond)}/s`,
      x(div(sustained.settledPerSecond, syncSpread?.settledPerSecond)),
    ]);
  return rows;
}

function writeSettlement(r: RunResults): string[] {
  const header = ['', 'bids settled', 'bids/s', 'vs synchronous (same shape)'];
  return ['## Settlement', '', table(header, listSettlementRows(r)), ''];
}

function listEndToEndRows(r: RunResults): string[][] {
  const rows: string[][] = [];
  if (r.burst) {
    const m = r.burst.moment;
    rows.push([
      `burst, live consumers (${n0(m.accepted)} × 202, ${n0(m.receipts)} receipts)`,
      ms(m.firstBidToLastFinalMs),
      ms(m.lastAcceptedToLastFinalMs),
      `${ms(m.acceptSettleMs.p50)} / ${ms(m.acceptSettleMs.p99)} / ${ms(m.acceptSettleMs.max)}`,
    ]);
    const { accepted, drain, max, fixed } = r.burst.backlog;
    rows.push([
      `burst backlog (${n0(accepted)} × 202 while settlement was held ${ms(max.seconds * 1000 + fixed.seconds * 1000)})`,
      '–',
      `${ms(drain.releaseToLastMs)} after release`,
      '–',
    ]);
  }
  if (r.sustained) {
    const su = r.sustained;
    rows.push([
      `sustained ${n0(su.rate)}/s (max stream lag ${n0(su.maxLag)}, max unacknowledged ${n0(su.maxPending)})`,
      '–',
      '–',
      `${ms(su.acceptSettleMs.p50)} / ${ms(su.acceptSettleMs.p99)} / ${ms(su.acceptSettleMs.max)}`,
    ]);
  }
  return rows;
}

function writeEndToEnd(r: RunResults): string[] {
  const header = ['', 'first bid → last final', 'last 202 → last final', 'accept→settle p50 / p99 / max'];
  return ['## End to end', '', table(header, listEndToEndRows(r)), ''];
}

function writeMemoryRow(label: string, m: MemoryFigures): string[] {
  return [label, mb(m.gatewayPeakBytes), mb(m.consumerPeakBytes)];
}

function writeMemory(r: RunResults): string[] {
  const rows = [
    ...(r.gateway ? [writeMemoryRow('gateway (paired trials)', r.gateway.memory)] : []),
    ...(r.burst ? [writeMemoryRow('burst', r.burst.memory)] : []),
    ...(r.spread ? [writeMemoryRow('spread', r.spread.memory)] : []),
    ...(r.sustained ? [writeMemoryRow('sustained', r.sustained.memory)] : []),
    ...memoryRowsV2(r),
    ...memoryRowsV3(r),
  ];
  const header = ['scenario', 'gateway worker (max)', 'consumer (max)'];
  return ['## Memory (peak VmRSS, sampled every 100 ms)', '', table(header, rows), ''];
}

function writeVerification(r: RunResults): string[] {
  const rows = r.verification.flatMap((v) => v.checks.map((c) => [v.phase, c.name, c.ok ? '✅' : '❌', c.detail]));
  return ['## Verification', '', table(['phase', 'check', '', 'detail'], rows), ''];
}

const FOOTER = [
  '![accepted and settled bids per second, and latency](latest.svg)',
  '',
  'How each figure is measured: see [bench/README.md](../README.md).',
  '',
];

export function markdown(r: RunResults): string {
  return [
    ...writeIntro(r),
    ...writeTargets(r),
    ...writeGatewayTrials(r),
    ...writeRuns(r),
    ...writeCpu(r),
    ...writeSettlement(r),
    ...writeEndToEnd(r),
    ...writeVersion2(r),
    ...writeVersion3(r),
    ...writeMemory(r),
    ...writeVerification(r),
    ...FOOTER,
  ].join('\n');
}
