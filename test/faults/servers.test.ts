import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@dutch/testkit';
import {
  createSandbox,
  type PrivatePostgres,
  type PrivateRedis,
  pgAnswers,
  type Sandbox,
  startPrivatePostgres,
  startPrivateRedis,
} from '@dutch/testkit/servers';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The private servers the drills kill and restart: they keep their data as configured, and never outlive a test. */
let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox('servers');
});
afterAll(async () => {
  await sandbox?.cleanup();
});

const alive = (pid: number | null) => pid !== null && existsSync(`/proc/${pid}`) && !isZombie(pid);
function isZombie(pid: number): boolean {
  try {
    return /State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

describe('private Redis', () => {
  let redis: PrivateRedis;
  it('with appendfsync always, keeps what it acknowledged through kill -9', async () => {
    redis = await startPrivateRedis(sandbox, { args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => {});
    await client.xadd('s', '*', 'n', '1');
    const before = redis.pid();
    await redis.kill('SIGKILL');
    expect(alive(before)).toBe(false);
    await redis.start();
    expect(await client.xlen('s')).toBe(1);
    await redis.shutdownNoSave();
    await redis.start();
    expect(await client.xlen('s')).toBe(1);
    client.disconnect();
  });

  it('without persistence, forgets everything on restart', async () => {
    const volatile = await startPrivateRedis(sandbox);
    const client = new Redis(volatile.url, { maxRetriesPerRequest: null });
    client.on('error', () => {});
    await client.set('k', 'v');
    await volatile.kill();
    await volatile.start();
    expect(await client.get('k')).toBeNull();
    client.disconnect();
  });
});

describe('private PostgreSQL', () => {
  let pg: PrivatePostgres;
  it('runs as the postgres user on its own port, and keeps committed data through stop, kill and restart', async () => {
    pg = await startPrivatePostgres(sandbox);
    const sql = postgres(pg.url(), { max: 1, onnotice: () => {} });
    await sql`create table t (x int)`;
    await sql`insert into t values (1)`;
    const [{ user }] = (await sql`select current_user as user`) as unknown as [{ user: string }];
    expect(user).toBe('postgres');
    await sql.end();

    await pg.stop('fast');
    expect(await pgAnswers(pg.url())).toBe(false);
    await pg.start();
    await pg.kill();
    expect(await pgAnswers(pg.url())).toBe(false);
    await pg.start();
    const again = postgres(pg.url(), { max: 1, onnotice: () => {} });
    expect(await again`select x from t`).toEqual([{ x: 1 }]);
    await again.end();
  });
});

describe('cleanup', () => {
  it('a test process that dies without cleaning up leaves no server and no directory behind', async () => {
    const fixture = fileURLToPath(import.meta.resolve('@dutch/testkit/abandon-fixture'));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    const left = JSON.parse(stdout) as { dir: string; redisPid: number | null; postmasterPid: number | null };
    expect(existsSync(left.dir)).toBe(true);
    expect(left.redisPid).toBeGreaterThan(0);
    expect(left.postmasterPid).toBeGreaterThan(0);
    await waitFor(
      async () => !alive(left.redisPid) && !alive(left.postmasterPid) && !existsSync(left.dir),
      30_000,
      'the watchdog to stop the abandoned servers and remove their directory',
    );
  });

  it('cleanup() stops every server it started and removes its directory', async () => {
    const own = createSandbox('servers-cleanup');
    const redis = await startPrivateRedis(own);
    const pg = await startPrivatePostgres(own);
    const pids = [redis.pid(), pg.pid()];
    for (const pid of pids) expect(pid).toBeGreaterThan(0);
    await own.cleanup();
    expect(existsSync(own.dir)).toBe(false);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
});
