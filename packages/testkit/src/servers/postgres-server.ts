import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from './ports.ts';
import { asPostgres, postgresBin, type Sandbox } from './sandbox.ts';

/** A PostgreSQL cluster of the test's own: initdb'd into the sandbox, on a private port and socket directory. */
export interface PrivatePostgres {
  readonly port: number;
  /** Trust auth as the postgres superuser; `database` defaults to "postgres". */
  url(database?: string): string;
  readonly dataDir: string;
  /** The postmaster's pid, from its postmaster.pid (null while stopped). */
  pid(): number | null;
  /** pg_ctl stop: "fast" (roll back open transactions, disconnect clients) or "immediate" (crash-like). */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** SIGKILL to the postmaster: its backends notice and exit; the next start recovers from the WAL. */
  kill(): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
  log(): string;
}

function run(command: string, args: readonly string[], what: string, uid = true): Promise<string> {
  const [cmd, argv] = uid ? asPostgres(command, args) : [command, [...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${what} failed (exit ${code}):\n${output.slice(-4_000)}`)),
    );
  });
}

function postmasterPid(dataDir: string): number | null {
  const file = join(dataDir, 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : null;
}

export async function startPrivatePostgres(sandbox: Sandbox): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = sandbox.subdir('postgres');
  const dataDir = join(dir, 'pgdata');
  const socketDir = join(dir, 'socket');
  const logFile = join(dir, 'postgres.log');
  await run('mkdir', ['-p', socketDir], 'mkdir', false);
  if (process.getuid?.() === 0) await run('chown', ['-R', 'postgres:postgres', dir], 'chown', false);
  await run(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions'],
    'initdb',
  );
  const port = await freePort();
  appendFileSync(
    join(dataDir, 'postgresql.conf'),
    [
      '',
      '# private test cluster',
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${socketDir}'`,
      'max_connections = 200',
      'shared_buffers = 32MB',
      'logging_collector = off',
      "log_min_messages = 'warning'",
      '',
    ].join('\n'),
  );

  const pgctl = join(bin, 'pg_ctl');
  let up = false;
  const server: PrivatePostgres = {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    dataDir,
    pid: () => postmasterPid(dataDir),
    async start() {
      // After a kill, orphaned backends may hold the old shared memory for a moment: retry.
      for (let attempt = 1; ; attempt++) {
        try {
          await run(pgctl, ['-D', dataDir, '-l', logFile, '-w', '-t', '120', 'start'], 'pg_ctl start');
          break;
        } catch (error) {
          if (attempt >= 10) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
      up = true;
      // The postmaster's command line names its data directory: the sandbox finds it after a crash.
      const pid = postmasterPid(dataDir);
      if (pid === null) throw new Error(`pg_ctl started PostgreSQL in ${dataDir} but left no postmaster.pid`);
      sandbox.track(pid, dataDir);
    },
    async stop(mode = 'fast') {
      if (postmasterPid(dataDir) === null) {
        up = false;
        return;
      }
      await run(pgctl, ['-D', dataDir, '-m', mode, '-w', '-t', '120', 'stop'], 'pg_ctl stop');
      up = false;
    },
    async kill() {
      const pid = postmasterPid(dataDir);
      if (pid === null) throw new Error(`PostgreSQL in ${dataDir} is not running`);
      process.kill(pid, 'SIGKILL');
      while (existsSync(`/proc/${pid}`)) await new Promise((resolve) => setTimeout(resolve, 20));
      up = false;
    },
    running: () => up,
    log: () => {
      try {
        return readFileSync(logFile, 'utf8').slice(-4_000);
      } catch {
        return '(no log)';
      }
    },
  };
  await server.start();
  sandbox.onCleanup(() => server.stop('immediate').catch(() => {}));
  return server;
}

/** Whether the server answers a query right now (one try). */
export async function pgAnswers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}
