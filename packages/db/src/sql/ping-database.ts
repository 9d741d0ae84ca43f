import type { Sql } from '../client.ts';

/** One round trip that needs no table: readiness asks whether Postgres answers at all. */
export async function pingDatabase(sql: Sql): Promise<void> {
  await sql`select 1`;
}
