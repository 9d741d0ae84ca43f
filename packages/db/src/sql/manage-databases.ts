import postgres from 'postgres';

/** Runs one statement on a short-lived single connection to the server's admin database. */
async function withAdmin(adminUrl: string, run: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await run(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Creates a database, copied from `template` when one is given (a file copy: far faster than migrating). */
export function createDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  return withAdmin(adminUrl, (sql) =>
    template === undefined
      ? sql`create database ${sql(name)}`
      : sql`create database ${sql(name)} template ${sql(template)}`,
  );
}

/** Drops a database if it exists, ending its sessions first (tests and benches leave some behind). */
export function dropDatabase(adminUrl: string, name: string): Promise<void> {
  return withAdmin(adminUrl, (sql) => sql`drop database if exists ${sql(name)} with (force)`);
}
