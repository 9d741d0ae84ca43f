import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './ports.ts';
import type { Sandbox } from './sandbox.ts';

export interface PrivateRedisOptions {
  /** Extra redis-server arguments, e.g. ['--appendonly', 'yes', '--appendfsync', 'always']. */
  readonly args?: readonly string[];
}

/** A redis-server of the test's own: its own port and directory, killed and restarted at will. */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** The running server's pid (null while stopped). */
  pid(): number | null;
  /** Kills the server without warning (default SIGKILL: no AOF flush, no RDB save). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SHUTDOWN NOSAVE: no RDB snapshot (the AOF, when on, is flushed as Redis always does on shutdown). */
  shutdownNoSave(): Promise<void>;
  /** Starts the server again on the same port and directory (after kill or shutdown). */
  start(): Promise<void>;
  /** The server's log, for diagnostics. */
  log(): string;
}

/** Whether a redis-server answers PING on the port right now (one try, no retries). */
export async function answersPing(port: number, host = '127.0.0.1'): Promise<boolean> {
  const client = new Redis({
    port,
    host,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    connectTimeout: 1_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Starts redis-server on a free port with its data in a sandbox directory. Persistence is off
 * unless `args` turn it on (RDB snapshots always off: only the AOF decides what survives).
 */
export async function startPrivateRedis(sandbox: Sandbox, options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const dir = sandbox.subdir('redis');
  const logFile = join(dir, 'redis.log');
  let port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--logfile',
      logFile,
      '--pidfile',
      join(dir, 'redis.pid'),
      '--daemonize',
      'no',
      '--save',
      '',
      '--appendonly',
      'no',
      ...(options.args ?? []),
    ];
    const proc = spawn('redis-server', args, { stdio: 'ignore' });
    if (proc.pid === undefined) throw new Error('redis-server did not start');
    sandbox.track(proc.pid, 'redis-server');
    child = proc;
    let gone = false;
    exited = new Promise((resolve) =>
      proc.once('exit', () => {
        gone = true;
        if (child === proc) child = null;
        resolve();
      }),
    );
    const deadline = Date.now() + 60_000;
    while (!(await answersPing(port))) {
      if (gone) throw new Error(`redis-server exited while starting on port ${port}:\n${tail(logFile)}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on port ${port}:\n${tail(logFile)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  // The first start may lose its port to another process between freePort() and bind: try a new one.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      port = await freePort();
    }
  }

  const server: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    pid: () => (child as ChildProcess | null)?.pid ?? null,
    async kill(signal = 'SIGKILL') {
      const proc = child as ChildProcess | null;
      if (proc === null) return;
      proc.kill(signal);
      await exited;
    },
    async shutdownNoSave() {
      if (child === null) return;
      const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
      client.on('error', () => {});
      await client.connect();
      await client.call('SHUTDOWN', 'NOSAVE').catch(() => {}); // the connection closes instead of answering
      client.disconnect();
      await exited;
    },
    async start() {
      if (child !== null) throw new Error('redis-server is already running');
      await launch();
    },
    log: () => tail(logFile),
  };
  sandbox.onCleanup(() => server.kill());
  return server;
}

function tail(file: string, bytes = 4_000): string {
  try {
    return readFileSync(file, 'utf8').slice(-bytes);
  } catch {
    return '(no log)';
  }
}
