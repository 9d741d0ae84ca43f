import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';
import type { Sandbox } from './sandbox.ts';

// Entry points by package name, so the kit does not depend on where the apps live in the tree.
const GATEWAY_SERVER = fileURLToPath(import.meta.resolve('@dutch/gateway/server'));
const CONSUMER_MAIN = fileURLToPath(import.meta.resolve('@dutch/consumer/main'));

/** A gateway (apps/gateway/src/server.ts) or consumer (apps/consumer/src/main.ts) as a real process. */
export interface EngineProcess {
  readonly name: string;
  /** The current incarnation's pid. */
  pid(): number | null;
  alive(): boolean;
  /** Exits of this name so far that the test did not ask for (crashes). */
  unexpectedExits(): number;
  /** Sends the signal and waits for the process to be gone (SIGKILL by default: no goodbye). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Sends a signal and returns at once (SIGSTOP / SIGCONT to freeze and thaw it). */
  signal(signal: NodeJS.Signals): void;
  /** Starts the process again, with the same name and environment; resolves when it is ready. */
  restart(): Promise<void>;
  /** The last 200 KB of its stdout and stderr (pino lines), across incarnations. */
  output(): string;
}

export interface GatewayProcess extends EngineProcess {
  readonly port: number;
  readonly url: string;
}

const OUTPUT_LIMIT = 200_000;

function startEngine(
  sandbox: Sandbox,
  name: string,
  script: string,
  env: Record<string, string>,
  readyMessage: string,
): EngineProcess & { started: Promise<void> } {
  let child: ChildProcess | null = null;
  let output = '';
  let expectedExit = false;
  let crashes = 0;
  let exited: Promise<void> = Promise.resolve();
  const append = (chunk: Buffer | string) => {
    output += chunk.toString();
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT / 2);
  };

  const launch = (): Promise<void> => {
    expectedExit = false;
    // The sandbox path in argv lets the sandbox recognise the process after a crash of the test.
    const proc = fork(script, ['--sandbox', sandbox.dir], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    if (proc.pid === undefined) throw new Error(`${name} did not start`);
    sandbox.track(proc.pid, sandbox.dir);
    child = proc;
    proc.stdout?.on('data', append);
    proc.stderr?.on('data', append);
    exited = new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        if (!expectedExit) {
          crashes++;
          append(`\n[test] ${name} exited unexpectedly (code ${code}, signal ${signal})\n`);
        }
        if (child === proc) child = null;
        resolve();
      }),
    );
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} not ready within 120 s:\n${output.slice(-4_000)}`)),
        120_000,
      );
      proc.on('message', (message: { type?: string }) => {
        if (message?.type === readyMessage) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (code ${code}) before it was ready:\n${output.slice(-4_000)}`));
      });
    });
  };

  const engine = {
    name,
    pid: () => (child as ChildProcess | null)?.pid ?? null,
    alive: () => child !== null,
    unexpectedExits: () => crashes,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      const proc = child as ChildProcess | null;
      if (proc === null) return;
      expectedExit = true;
      proc.kill(signal);
      await exited;
    },
    signal(signal: NodeJS.Signals) {
      (child as ChildProcess | null)?.kill(signal);
    },
    async restart() {
      if (child !== null) throw new Error(`${name} is still running`);
      await launch();
    },
    output: () => output,
    started: launch(),
  };
  sandbox.onCleanup(() => engine.kill());
  return engine;
}

export interface EngineEnv {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly shards: number;
}

function commonEnv(env: EngineEnv): Record<string, string> {
  return {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    KEY_PREFIX: env.keyPrefix,
    SHARDS: String(env.shards),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  };
}

/** One gateway process (server.ts) on a port of its own, which it keeps across restarts. */
export async function startGatewayProcess(
  sandbox: Sandbox,
  name: string,
  env: EngineEnv,
  extra: Record<string, string> = {},
): Promise<GatewayProcess> {
  const port = await freePort();
  const engine = startEngine(
    sandbox,
    name,
    GATEWAY_SERVER,
    {
      ...commonEnv(env),
      HOST: '127.0.0.1',
      PORT: String(port),
      BID_RATE_PER_SECOND: '0',
      SIGNUP_RATE_PER_MINUTE: '0',
      LOG_REQUESTS: 'false',
      PG_POOL_SIZE: '4',
      ...extra,
    },
    'listening',
  );
  await engine.started;
  return { ...engine, port, url: `http://127.0.0.1:${port}` };
}

/** One consumer process (main.ts), named so that a restart finds its own pending entries, as under npm start. */
export async function startConsumerProcess(
  sandbox: Sandbox,
  name: string,
  env: EngineEnv,
  extra: Record<string, string> = {},
): Promise<EngineProcess> {
  const engine = startEngine(
    sandbox,
    name,
    CONSUMER_MAIN,
    {
      ...commonEnv(env),
      CONSUMER_NAME: name,
      BLOCK_MS: '200',
      REBALANCE_MS: '250',
      PG_POOL_SIZE: '4',
      ...extra,
    },
    'ready',
  );
  await engine.started;
  return engine;
}
