import { randomBytes } from 'node:crypto';
import { createDb, type DbClient } from '@dutch/db';
import postgres from 'postgres';
import { inject } from 'vitest';
import { adminUrl, databaseUrl } from './urls.ts';

export interface TestDatabase extends DbClient {
  readonly url: string;
  readonly name: string;
  /** Closes this client and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of this test's own, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `dutch_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin`create database ${admin(name)} template ${admin(inject('pgTemplate'))}`;
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = databaseUrl(name);
  const client = createDb(url, { max: 8, applicationName: 'test' });
  return {
    ...client,
    url,
    name,
    async drop() {
      await client.close();
      const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
      try {
        await sql`drop database if exists ${sql(name)} with (force)`;
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}
