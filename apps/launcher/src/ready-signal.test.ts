import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isMessage, type MessageOf } from '@dutch/runtime';
import { connectRedis } from '@dutch/stream';
import { createTestDatabase, deleteKeys, randomPrefix, redisUrl } from '@dutch/testkit';
import { afterEach, describe, expect, it } from 'vitest';

const START = fileURLToPath(new URL('./start.ts', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('the launcher spawned with an IPC channel', () => {
  it('says it is ready, and where, in one typed message instead of console text', async () => {
    const db = await createTestDatabase();
    const prefix = randomPrefix();
    cleanups.push(async () => {
      const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
      await deleteKeys(redis, prefix);
      await redis.quit();
      await db.drop();
    });
    const child = fork(START, [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        PORT: '0',
        GATEWAY_WORKERS: '1',
        CONSUMERS: '1',
        DATABASE_URL: db.url,
        REDIS_URL: redisUrl(),
        KEY_PREFIX: prefix,
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    cleanups.unshift(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const ready = await new Promise<MessageOf<'engine-ready'>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no engine-ready message within 60 s')), 60_000);
      child.on('message', (message: unknown) => {
        if (!isMessage(message, 'engine-ready')) return;
        clearTimeout(timer);
        resolve(message);
      });
    });
    expect(ready).toMatchObject({ gateways: 1, consumers: 1 });
    expect(ready.docsUrl).toBe(`${ready.url}/docs`);
    expect((await fetch(`${ready.url}/ready`)).status).toBe(200);
    expect((await fetch(ready.metricsUrl)).status).toBe(200);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 90_000);
});
