/**
 * Where the machine's CPU went during a run, by role: the load generator (this process),
 * the gateway workers, the consumers, Redis, this run's Postgres backends, the reference
 * servers, and everything else (other work on this shared machine). Read from /proc: the
 * utime + stime of every process at the start and end of the run, and /proc/stat's total.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { commandLine, descendantsOf, roleOf } from './processes.ts';

const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  readonly at: number;
  /** All CPUs' busy ticks (everything but idle and iowait). */
  readonly busyTicks: number;
  readonly cpus: number;
  readonly byPid: ReadonlyMap<number, { readonly ticks: number; readonly comm: string }>;
}

export function readCpu(): CpuSnapshot {
  const stat = readFileSync('/proc/stat', 'utf8');
  const total = (stat.split('\n')[0] as string).trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const busyTicks = total.reduce((a, b) => a + b, 0) - (total[3] ?? 0) - (total[4] ?? 0);
  const cpus = stat.split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
  const byPid = new Map<number, { ticks: number; comm: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const comm = text.slice(text.indexOf('(') + 1, close);
      const fields = text.slice(close + 2).split(' ');
      // fields[11], fields[12]: utime, stime (the 14th and 15th fields of stat).
      byPid.set(Number(entry), { ticks: Number(fields[11]) + Number(fields[12]), comm });
    } catch {
      // gone
    }
  }
  return { at: Date.now(), busyTicks, cpus, byPid };
}

export interface CpuRoots {
  readonly bench: number;
  readonly engine: number | null;
  readonly references: readonly { readonly pid: number; readonly role: string }[];
  /** Postgres backends serving this run's database. */
  readonly ownBackends: ReadonlySet<number>;
}

/** Cores used per role between two snapshots (1.0 = one core busy all the time). */
export function cpuByRole(before: CpuSnapshot, after: CpuSnapshot, roots: CpuRoots): Record<string, number> {
  const seconds = (after.at - before.at) / 1000;
  const roles = new Map<number, string>();
  roles.set(roots.bench, 'load generator (bench)');
  if (roots.engine !== null) {
    roles.set(roots.engine, 'engine launcher');
    for (const pid of descendantsOf(roots.engine)) {
      const role = roleOf(commandLine(pid));
      roles.set(pid, role === 'gateway' ? 'gateway workers' : role === 'consumer' ? 'consumers' : 'engine launcher');
    }
  }
  for (const ref of roots.references) {
    roles.set(ref.pid, ref.role);
    for (const pid of descendantsOf(ref.pid)) roles.set(pid, ref.role);
  }
  const used: Record<string, number> = {};
  let accounted = 0;
  for (const [pid, now] of after.byPid) {
    const then = before.byPid.get(pid)?.ticks ?? 0;
    const ticks = Math.max(0, now.ticks - then);
    if (ticks === 0) continue;
    const role =
      roles.get(pid) ??
      (now.comm === 'redis-server'
        ? 'redis'
        : now.comm === 'postgres'
          ? roots.ownBackends.has(pid)
            ? 'postgres (this run)'
            : 'postgres (other)'
          : 'other processes');
    used[role] = (used[role] ?? 0) + ticks;
    accounted += ticks;
  }
  // Kernel work and processes that exited in between show only in the machine's total.
  const rest = after.busyTicks - before.busyTicks - accounted;
  if (rest > 0) used['kernel and exited'] = rest;
  const cores: Record<string, number> = {};
  for (const [role, ticks] of Object.entries(used)) {
    cores[role] = Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100;
  }
  cores['machine total (of cpus)'] =
    Math.round(((after.busyTicks - before.busyTicks) / TICKS_PER_SECOND / seconds) * 100) / 100;
  return cores;
}
