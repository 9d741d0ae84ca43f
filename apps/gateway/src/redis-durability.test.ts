import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@dutch/config';
import { connectRedis, type RedisClient } from '@dutch/stream';
import { adminUrl } from '@dutch/testkit';
import { createSandbox, type Sandbox, startPrivateRedis } from '@dutch/testkit/servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { checkRedisDurability, durabilityOf, type RedisDurability } from './redis-durability.ts';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));
const START = fileURLToPath(import.meta.resolve('@dutch/launcher/start'));

let sandbox: Sandbox;
/** Private Redis servers, one per persistence setting (never the shared one: its settings are not ours). */
const servers: Record<string, { url: string; client: RedisClient }> = {};

beforeAll(async () => {
  sandbox = createSandbox('durability');
  const settings: Record<string, string[]> = {
    none: [],
    everysec: ['--appendonly', 'yes', '--appendfsync', 'everysec'],
    always: ['--appendonly', 'yes', '--appendfsync', 'always'],
    fsyncNo: ['--appendonly', 'yes', '--appendfsync', 'no'],
    noConfig: ['--appendonly', 'yes', '--appendfsync', 'always', '--rename-command', 'CONFIG', ''],
  };
  await Promise.all(
    Object.entries(settings).map(async ([name, args]) => {
      const server = await startPrivateRedis(sandbox, { args });
      const client = connectRedis({ url: server.url, clusterNodes: null });
      sandbox.onCleanup(() => client.disconnect());
      servers[name] = { url: server.url, client };
    }),
  );
});
afterAll(async () => {
  await sandbox?.cleanup();
});

const at = (name: string) => servers[name] as { url: string; client: RedisClient };

describe('REDIS_DURABILITY', () => {
  it('reads the durability Redis settings give', () => {
    expect(durabilityOf('no', 'always')).toBe('none');
    expect(durabilityOf('yes', 'no')).toBe('none');
    expect(durabilityOf('yes', 'everysec')).toBe('everysec');
    expect(durabilityOf('yes', 'always')).toBe('always');
    expect(durabilityOf('YES', 'Always')).toBe('always');
  });

  it('defaults to none, and refuses an unknown level naming the variable', () => {
    expect(loadConfig({}).redisDurability).toBe('none');
    expect(loadConfig({ REDIS_DURABILITY: 'always' }).redisDurability).toBe('always');
    expect(() => loadConfig({ REDIS_DURABILITY: 'sometimes' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_DURABILITY: 'sometimes' })).toThrow(/REDIS_DURABILITY="sometimes"/);
  });

  it.each<[string, RedisDurability, boolean]>([
    ['none', 'none', true],
    ['none', 'everysec', false],
    ['none', 'always', false],
    ['fsyncNo', 'everysec', false],
    ['everysec', 'everysec', true],
    ['everysec', 'always', false],
    ['always', 'everysec', true],
    ['always', 'always', true],
  ])('a Redis with %s persistence against REDIS_DURABILITY=%s: accepted %s', async (server, required, accepted) => {
    const verdict = await checkRedisDurability(at(server).client, required, 'here:1');
    expect(verdict.warning).toBeNull();
    if (accepted) expect(verdict.problem).toBeNull();
    else {
      expect(verdict.problem).toMatch(new RegExp(`weaker than REDIS_DURABILITY=${required}`));
      expect(verdict.problem).not.toContain('\n');
    }
  });

  it('warns (and does not refuse) when Redis does not allow CONFIG GET', async () => {
    const verdict = await checkRedisDurability(at('noConfig').client, 'always', 'here:1');
    expect(verdict.problem).toBeNull();
    expect(verdict.warning).toMatch(/Cannot verify REDIS_DURABILITY=always/);
  });
});

/** Runs an entry point to its exit; returns its exit code and what it printed on stderr. */
function runToExit(script: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('a gateway on a Redis weaker than REDIS_DURABILITY', () => {
  it('server.ts refuses to start, with one clear line', async () => {
    const { code, stderr } = await runToExit(SERVER, {
      REDIS_URL: at('everysec').url,
      REDIS_DURABILITY: 'always',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Redis at 127\.0\.0\.1:\d+ runs with appendonly yes, appendfsync everysec, weaker than REDIS_DURABILITY=always/,
    );
  }, 90_000);

  it('npm start refuses before starting anything, with one clear line', async () => {
    const { code, stderr } = await runToExit(START, {
      REDIS_URL: at('none').url,
      REDIS_DURABILITY: 'everysec',
      DATABASE_URL: adminUrl(),
    });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/runs with appendonly no, .*weaker than REDIS_DURABILITY=everysec/);
  }, 90_000);
});
