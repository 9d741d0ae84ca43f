import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { FATAL_EXIT_CODE } from '@dutch/runtime';
import { connectRedis } from '@dutch/stream';
import {
  adminUrl,
  buyOnceOverHttp,
  createTestDatabase,
  databaseUrl,
  deleteKeys,
  randomPrefix,
  redisUrl,
  waitFor,
} from '@dutch/testkit';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';

const START = fileURLToPath(new URL('./start.ts', import.meta.url));
const SERVER = fileURLToPath(import.meta.resolve('@dutch/gateway/server'));

interface Launched {
  readonly child: ChildProcess;
  output(): string;
  errors(): string;
  exited: Promise<number | null>;
}

const launched: Launched[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const { child } of launched.splice(0)) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function launch(env: Record<string, string>, script = START): Launched {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', GATEWAY_WORKERS: '2', CONSUMERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const run = { child, output: () => stdout, errors: () => stderr, exited };
  launched.push(run);
  return run;
}

describe('npm start (the launcher)', () => {
  it('migrates a fresh database, runs gateways and consumers, prints the URLs, settles bids, and stops on Ctrl-C', async () => {
    const name = `dutch_start_${randomBytes(4).toString('hex')}`;
    const prefix = randomPrefix();
    cleanups.push(async () => {
      const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
      await deleteKeys(redis, prefix);
      await redis.quit();
      const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
      await admin`drop database if exists ${admin(name)} with (force)`;
      await admin.end();
    });
    const run = launch({ DATABASE_URL: databaseUrl(name), REDIS_URL: redisUrl(), KEY_PREFIX: prefix });
    const base = await waitFor(
      async () => /Live auctions\s+(http:\/\/localhost:\d+)\//.exec(run.output())?.[1],
      60_000,
      'the printed URL',
    );
    expect(run.output()).toContain(`API docs       ${base}/docs`);

    const { settled } = await buyOnceOverHttp(base);
    expect(settled.status).toBe('PURCHASED');

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('dutch_http_requests_total');
    expect(metrics).toMatch(/dutch_consumer_settled_total\{[^}]*outcome="PURCHASED"[^}]*\} 1/);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Stopped.');
  }, 90_000);

  it('says in one line what to start when Redis is not there, without a stack trace', async () => {
    const run = launch({ REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: databaseUrl('postgres') });
    expect(await run.exited).toBe(1);
    const lines = run
      .errors()
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('npm warn'));
    expect(lines).toEqual([expect.stringMatching(/^Cannot reach Redis at 127\.0\.0\.1:1 \(ECONNREFUSED\)\. Start it/)]);
  }, 30_000);

  it('says the same for PostgreSQL', async () => {
    const run = launch({ REDIS_URL: redisUrl(), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/dutch' });
    expect(await run.exited).toBe(1);
    expect(run.errors().trim()).toMatch(/^Cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\)\. Start it/);
    expect(run.errors()).not.toContain('    at ');
  }, 30_000);

  it('checks the Redis Cluster nodes, not REDIS_URL, when REDIS_CLUSTER_NODES is set', async () => {
    const [unreachable, notCluster] = [
      launch({
        REDIS_CLUSTER_NODES: '127.0.0.1:1,127.0.0.1:2',
        REDIS_URL: redisUrl(),
        DATABASE_URL: databaseUrl('postgres'),
      }),
      // The shared test Redis is a single server, not a cluster node.
      launch({
        REDIS_CLUSTER_NODES: new URL(redisUrl()).host,
        REDIS_URL: 'redis://127.0.0.1:1',
        DATABASE_URL: databaseUrl('postgres'),
      }),
    ];
    expect(await unreachable.exited).toBe(1);
    expect(unreachable.errors().trim()).toMatch(
      /^Cannot reach any Redis Cluster node in REDIS_CLUSTER_NODES \(127\.0\.0\.1:1 ECONNREFUSED; 127\.0\.0\.1:2 ECONNREFUSED\)\./,
    );
    expect(await notCluster.exited).toBe(1);
    expect(notCluster.errors().trim()).toMatch(/^Redis at .+ is not a cluster node \(cluster support disabled\)\./);
    expect(notCluster.errors()).not.toContain('    at ');
  }, 30_000);

  it('names a bad setting and refuses to start', async () => {
    const run = launch({ SHARDS: 'eight', PORT: '99999' });
    expect(await run.exited).toBe(2);
    expect(run.errors()).toContain('SHARDS="eight": must be a whole number');
    expect(run.errors()).toContain('PORT="99999"');
  }, 30_000);

  it('says in one line that the port is taken and exits, instead of restarting its gateways', async () => {
    const port = await occupyPort();
    const run = launch({
      REDIS_URL: redisUrl(),
      DATABASE_URL: databaseUrl('postgres'),
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    expect(await run.exited).toBe(1);
    expect(withoutNpmWarnings(run.errors())).toEqual([
      `Port ${port} on 127.0.0.1 is already in use (EADDRINUSE). Stop what is listening there or set PORT to another port.`,
    ]);
  }, 30_000);

  it('a gateway whose port is taken after the check says so once and exits with the do-not-restart code', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const port = await occupyPort();
    const run = launch(
      {
        REDIS_URL: redisUrl(),
        DATABASE_URL: db.url,
        KEY_PREFIX: randomPrefix(),
        HOST: '127.0.0.1',
        PORT: String(port),
      },
      SERVER,
    );
    expect(await run.exited).toBe(FATAL_EXIT_CODE);
    expect(withoutNpmWarnings(run.errors())).toEqual([
      expect.stringMatching(new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use`)),
    ]);
  }, 60_000);
});

function withoutNpmWarnings(text: string): string[] {
  return text
    .trim()
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('npm warn'));
}

/** A port another program holds for the rest of the test. */
async function occupyPort(): Promise<number> {
  const holder: Server = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => holder.close(() => resolve())));
  return (holder.address() as { port: number }).port;
}
