import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { adminUrl } from '@dutch/testkit';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * A transaction whose connection dies under it (Postgres restarted, failed over, or the backend
 * killed): the caller gets an error to retry, and the process lives on. postgres.js 3.4.9 crashed
 * the process here with an uncatchable TypeError (porsager/postgres#1208); patches/postgres+3.4.9.patch
 * applies the fix at install. Run in a child process: the crash would take the test runner down.
 */
const SCENARIO = `
import postgres from 'postgres';
const url = process.env.URL;
const sql = postgres(url, { max: 2, onnotice: () => {} });
const admin = postgres(url, { max: 1, onnotice: () => {} });
let error = 'none';
try {
  await sql.begin(async (tx) => {
    const [{ pid }] = await tx\`select pg_backend_pid() as pid\`;
    await admin\`select pg_terminate_backend(\${pid})\`;
    await new Promise((resolve) => setTimeout(resolve, 200));
    await tx\`select 1\`;
  });
} catch (e) {
  error = e.code ?? e.message;
}
await new Promise((resolve) => setTimeout(resolve, 300));
const [{ x }] = await sql\`select 2 as x\`;
await Promise.all([sql.end(), admin.end()]);
console.log(JSON.stringify({ error, after: x }));
`;

describe('a connection lost in the middle of a transaction', () => {
  it('rejects the transaction (CONNECTION_CLOSED) without killing the process, and the pool goes on', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCENARIO], {
      cwd: ROOT,
      env: { ...process.env, URL: adminUrl() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ error: 'CONNECTION_CLOSED', after: 2 });
  });
});
