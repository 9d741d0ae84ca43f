import { randomBytes } from 'node:crypto';
import { adminUrl } from '@dutch/testkit';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createDatabase, dropDatabase } from './manage-databases.ts';

const exists = async (name: string) => {
  const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from pg_database where datname = ${name}`;
    return row?.n === 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
};

describe('createDatabase and dropDatabase', () => {
  it('creates a database, drops it even with a session open on it, and drops a missing one quietly', async () => {
    const name = `dutch_t_${randomBytes(6).toString('hex')}`;
    await createDatabase(adminUrl(), name);
    expect(await exists(name)).toBe(true);
    const url = new URL(adminUrl());
    url.pathname = `/${name}`;
    const open = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await open`select 1`;
    await dropDatabase(adminUrl(), name);
    expect(await exists(name)).toBe(false);
    await dropDatabase(adminUrl(), name);
    await open.end({ timeout: 1 }).catch(() => {});
  });
});
