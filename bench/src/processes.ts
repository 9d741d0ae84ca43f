/**
 * The processes a run measures: the real engine (`apps/launcher/src/start.ts`: migrate, gateway
 * workers on node:cluster, consumer processes) and the reference servers, all as children of
 * the bench, plus a /proc sampler for their memory.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isMessage } from '@dutch/runtime';

/** Direct children of a process, from /proc/<pid>/task/<tid>/children (every thread). */
export function childrenOf(pid: number): number[] {
  const found: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (text !== '') found.push(...text.split(/\s+/).map(Number));
      } catch {
        // the thread ended
      }
    }
  } catch {
    // the process ended
  }
  return found;
}

export function descendantsOf(pid: number): number[] {
  const all: number[] = [];
  const queue = childrenOf(pid);
  while (queue.length > 0) {
    const next = queue.shift() as number;
    all.push(next);
    queue.push(...childrenOf(next));
  }
  return all;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Calls onLine for every complete line of a stream. */
export function readLines(stream: Readable, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}

/** Resident set size in bytes (VmRSS), or null when the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export type Role = 'launcher' | 'gateway' | 'consumer' | 'bare' | 'sync' | 'other';

export function roleOf(command: string): Role {
  if (command.includes('apps/launcher/src/gateway-worker.ts')) return 'gateway';
  if (command.includes('apps/gateway/src/server.ts')) return 'gateway';
  if (command.includes('apps/consumer/src/main.ts')) return 'consumer';
  if (command.includes('apps/launcher/src/start.ts')) return 'launcher';
  if (command.includes('servers/bare-server.ts')) return 'bare';
  if (command.includes('servers/sync-server.ts')) return 'sync';
  return 'other';
}

/** The processes under a launcher or server playing `role` (none when it never got a pid). */
export const descendantsWithRole = (root: number | undefined, role: Role): number[] =>
  root === undefined ? [] : descendantsOf(root).filter((pid) => roleOf(commandLine(pid)) === role);

export interface PeakRss {
  readonly role: Role;
  readonly pid: number;
  readonly peakBytes: number;
}

/**
 * Samples VmRSS of every descendant of the given roots every `intervalMs`. Peaks are kept
 * per process since the last reset(), so a scenario reports its own peaks.
 */
export class RssSampler {
  private readonly peaks = new Map<number, PeakRss>();
  private readonly roles = new Map<number, Role>();
  private timer: NodeJS.Timeout | null = null;
  private tick = 0;
  private pids: number[] = [];

  constructor(
    private readonly roots: () => number[],
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    this.sample();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  reset(): void {
    this.peaks.clear();
  }

  /** Peak RSS per process since the last reset, largest first. */
  snapshot(): PeakRss[] {
    this.sample();
    return [...this.peaks.values()].sort((a, b) => b.peakBytes - a.peakBytes);
  }

  private sample(): void {
    // Re-discover the tree every second: supervised processes may restart.
    if (this.tick++ % Math.max(1, Math.round(1000 / this.intervalMs)) === 0) {
      this.pids = this.roots().flatMap((root) => [root, ...descendantsOf(root)]);
      for (const pid of this.pids) if (!this.roles.has(pid)) this.roles.set(pid, roleOf(commandLine(pid)));
    }
    for (const pid of this.pids) {
      const rss = rssBytes(pid);
      if (rss === null) continue;
      const role = this.roles.get(pid) ?? 'other';
      const previous = this.peaks.get(pid);
      if (previous === undefined || rss > previous.peakBytes) this.peaks.set(pid, { role, pid, peakBytes: rss });
    }
  }
}

export function peakByRole(peaks: readonly PeakRss[], role: Role): PeakRss | null {
  return peaks.filter((p) => p.role === role).sort((a, b) => b.peakBytes - a.peakBytes)[0] ?? null;
}

/** Waits for a child's exit, killing it after graceMs. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const family = child.pid === undefined ? [] : descendantsOf(child.pid);
  child.kill(signal);
  const timer = setTimeout(() => {
    child.kill('SIGKILL');
    for (const pid of family) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

export interface Stack {
  readonly url: string;
  readonly launcher: ChildProcess;
  gatewayPids(): number[];
  consumerPids(): number[];
  /** Warning and error lines the engine logged since the last call, tallied by message. */
  takeWarnings(): Record<string, number>;
  stop(): Promise<void>;
}

/** pino JSON lines by their msg (and error message); anything else by its first 100 characters. */
export function warningKey(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: string; err?: { message?: string } };
    const detail = parsed.err?.message === undefined ? '' : ` (${parsed.err.message.slice(0, 80)})`;
    return `${parsed.msg ?? line.slice(0, 100)}${detail}`;
  } catch {
    return line.slice(0, 100);
  }
}

export interface StackOptions {
  readonly repoRoot: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** Every line the engine's processes print on stdout (they share the launcher's); true when it took the line. */
  readonly onStdoutLine?: (line: string) => boolean;
}

/** What the engine printed last, for the error when it does not start. */
const KEPT_OUTPUT = 64 * 1024;

/**
 * `node --import tsx apps/launcher/src/start.ts`, as `npm start` runs it; resolves once it says
 * it is ready, in its engine-ready message over the IPC channel it is given.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const start = join(options.repoRoot, 'apps/launcher/src/start.ts');
  const launcher = spawn(process.execPath, ['--import', 'tsx', start], {
    cwd: options.repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  const keep = (chunk: string) => {
    out = (out + chunk).slice(-KEPT_OUTPUT);
  };
  if (launcher.stdout !== null) {
    const { onStdoutLine } = options;
    if (onStdoutLine === undefined) launcher.stdout.on('data', (chunk) => keep(String(chunk)));
    else readLines(launcher.stdout, (line) => onStdoutLine(line) || keep(`${line}\n`));
  }
  const warnings = new Map<string, number>();
  if (launcher.stderr !== null)
    readLines(launcher.stderr, (line) => {
      keep(`${line}\n`);
      if (line.trim() === '' || line.startsWith('    at ')) return;
      const key = warningKey(line);
      warnings.set(key, (warnings.get(key) ?? 0) + 1);
    });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the engine did not start within ${options.timeoutMs ?? 60_000} ms:\n${out}`)),
      options.timeoutMs ?? 60_000,
    );
    launcher.on('message', (message: unknown) => {
      if (!isMessage(message, 'engine-ready')) return;
      clearTimeout(timer);
      resolve(message.url.replace('localhost', '127.0.0.1'));
    });
    launcher.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the engine exited with ${code} before starting:\n${out}`));
    });
  });
  return {
    url,
    launcher,
    gatewayPids: () => descendantsWithRole(launcher.pid, 'gateway'),
    consumerPids: () => descendantsWithRole(launcher.pid, 'consumer'),
    takeWarnings() {
      const taken = Object.fromEntries(warnings);
      warnings.clear();
      return taken;
    },
    async stop() {
      await stopChild(launcher, 'SIGTERM', 25_000);
    },
  };
}

export interface ServerHandle {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Forks a bench reference server (a node:cluster primary) and waits for it to listen. Its stdout
 * is the bench's, or, with onStdoutLine, goes line by line to it (and on to the bench's stdout
 * when it returns false).
 */
export async function startServer(
  script: string,
  env: Readonly<Record<string, string>>,
  timeoutMs = 30_000,
  onStdoutLine?: (line: string) => boolean,
): Promise<ServerHandle> {
  const child = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', onStdoutLine === undefined ? 'inherit' : 'pipe', 'inherit', 'ipc'],
  });
  if (onStdoutLine !== undefined && child.stdout !== null)
    readLines(child.stdout, (line) => onStdoutLine(line) || process.stdout.write(`${line}\n`));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message?.type === 'listening' && message.port !== undefined) {
        clearTimeout(timer);
        resolve(message.port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before listening`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child, stop: () => stopChild(child, 'SIGTERM', 10_000) };
}
