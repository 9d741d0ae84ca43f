import { randomBytes } from 'node:crypto';
import { createDatabase, createDb, type DbClient, dropDatabase } from '@dutch/db';
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
  await createDatabase(adminUrl(), name, inject('pgTemplate'));
  const url = databaseUrl(name);
  const client = createDb(url, { max: 8, applicationName: 'test' });
  return {
    ...client,
    url,
    name,
    async drop() {
      await client.close();
      await dropDatabase(adminUrl(), name);
    },
  };
}
