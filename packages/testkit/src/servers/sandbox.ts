import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temporary directory that owns every process a fault test starts: private servers, gateway
 * and consumer processes. cleanup() kills them all and removes the directory. Two safety nets
 * make sure nothing outlives the test even when it fails or its process dies:
 * - a process 'exit' hook does the same cleanup synchronously;
 * - a detached watchdog (bash, not a child of the test process's group) polls the test process
 *   and, once it is gone with the directory still there, kills what the directory lists and
 *   removes it. The watchdog exits by itself once the directory is removed.
 *
 * Only processes this sandbox started are ever killed (their pids, checked against their
 * command line), never the shared Redis or PostgreSQL.
 */
export interface Sandbox {
  readonly dir: string;
  /** A fresh subdirectory. */
  subdir(name: string): string;
  /** Kill `pid` at cleanup, if its /proc/<pid>/cmdline still contains `tag` (guards against pid reuse). */
  track(pid: number, tag: string): void;
  /** Runs at cleanup, before processes are killed (e.g. a graceful server stop). */
  onCleanup(step: () => Promise<void> | void): void;
  cleanup(): Promise<void>;
}

/** The PostgreSQL binaries: PG_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql (set PG_BIN)');
  return join(root, newest, 'bin');
}

/** PostgreSQL's binaries refuse to run as root: run them as the postgres user then. */
export function asPostgres(command: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
}

const WATCHDOG = `
parent=$1; dir=$2; pgctl=$3
while kill -0 "$parent" 2>/dev/null && [ -d "$dir" ]; do sleep 1; done
[ -d "$dir" ] || exit 0
for data in "$dir"/*/pgdata; do
  [ -f "$data/postmaster.pid" ] || continue
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pgctl" -D "$data" -m immediate -t 10 stop >/dev/null 2>&1
  else "$pgctl" -D "$data" -m immediate -t 10 stop >/dev/null 2>&1; fi
done
if [ -f "$dir/pids" ]; then
  while read -r pid tag; do
    [ -r "/proc/$pid/cmdline" ] || continue
    if tr '\\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$tag"; then kill -9 "$pid" 2>/dev/null; fi
  done < "$dir/pids"
fi
sleep 1
rm -rf "$dir"
`;

const live = new Set<Sandbox>();
let exitHookInstalled = false;

function cmdlineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return null;
  }
}

function killTracked(dir: string): void {
  let lines: string[] = [];
  try {
    lines = readFileSync(join(dir, 'pids'), 'utf8').split('\n');
  } catch {
    return;
  }
  for (const line of lines) {
    const [pidText, ...tagParts] = line.split(' ');
    const pid = Number(pidText);
    const tag = tagParts.join(' ');
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (cmdlineOf(pid)?.includes(tag)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** Stops every PostgreSQL cluster under `dir` at once (immediate mode: no checkpoint, IPC released). */
function stopClustersSync(dir: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const data = join(dir, entry, 'pgdata');
    if (!existsSync(join(data, 'postmaster.pid'))) continue;
    const [command, args] = asPostgres(join(postgresBin(), 'pg_ctl'), [
      '-D',
      data,
      '-m',
      'immediate',
      '-t',
      '10',
      'stop',
    ]);
    spawnSync(command, args, { stdio: 'ignore' });
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const sandbox of live) {
      stopClustersSync(sandbox.dir);
      killTracked(sandbox.dir);
      rmSync(sandbox.dir, { recursive: true, force: true });
    }
  });
}

export function createSandbox(label = 'fault'): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), `dutch-${label}-`));
  // PostgreSQL runs as the postgres user and must reach its data directory inside.
  chmodSync(dir, 0o755);
  installExitHook();
  let pgctl = 'pg_ctl';
  try {
    pgctl = join(postgresBin(), 'pg_ctl');
  } catch {
    // no PostgreSQL here: the watchdog only kills tracked pids
  }
  const watchdog = spawn('bash', ['-c', WATCHDOG, 'watchdog', String(process.pid), dir, pgctl], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();

  const steps: (() => Promise<void> | void)[] = [];
  let counter = 0;
  const sandbox: Sandbox = {
    dir,
    subdir(name) {
      const path = join(dir, `${name}-${counter++}`);
      mkdirSync(path, { recursive: true });
      return path;
    },
    track(pid, tag) {
      appendFileSync(join(dir, 'pids'), `${pid} ${tag}\n`);
    },
    onCleanup(step) {
      steps.push(step);
    },
    async cleanup() {
      if (!live.has(sandbox)) return;
      for (const step of steps.splice(0).reverse()) {
        try {
          await step();
        } catch (error) {
          console.warn(`sandbox cleanup step failed: ${(error as Error).message}`);
        }
      }
      stopClustersSync(dir);
      killTracked(dir);
      live.delete(sandbox);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  live.add(sandbox);
  return sandbox;
}
