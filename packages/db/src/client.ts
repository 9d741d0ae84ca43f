import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { ensurePostgresFixed } from './postgres-fix.ts';
import * as schema from './schema.ts';

// Re-exported so a process can refuse to start before it does anything else (see postgres-fix.ts).
export { ensurePostgresFixed, findPostgresFixProblem, PostgresFixMissingError } from './postgres-fix.ts';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
export type Db = PostgresJsDatabase<typeof schema>;

export interface DbClient {
  readonly sql: Sql;
  readonly db: Db;
  close(): Promise<void>;
}

export interface DbOptions {
  /** Pool size. */
  readonly max?: number;
  /** Shown in pg_stat_activity, so an operator can tell gateway from consumer connections. */
  readonly applicationName?: string;
  readonly connectTimeoutSeconds?: number;
  /** Postgres statement_timeout for every statement on these connections (0 or absent: none). */
  readonly statementTimeoutMs?: number;
  /**
   * Seconds before a connection is closed and replaced (postgres.js: 30 to 60 minutes). Null
   * keeps it for ever: a connection whose session holds locks must not be recycled under them.
   */
  readonly maxLifetimeSeconds?: number | null;
}

/**
 * Every amount in the schema stays below 2^53 (see the domain's limits), so int8 columns
 * are read as plain numbers rather than strings or BigInts.
 */
const int8AsNumber = {
  to: 20,
  from: [20],
  serialize: (value: number | bigint | string) => String(value),
  parse: (value: string) => Number(value),
};

export function createDb(url: string, options: DbOptions = {}): DbClient {
  // Every process connects through here: without the fix a Postgres restart would crash it later.
  ensurePostgresFixed();
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    ...(options.maxLifetimeSeconds === undefined ? {} : { max_lifetime: options.maxLifetimeSeconds }),
    types: { int8: int8AsNumber },
    connection: {
      application_name: options.applicationName ?? 'dutch-auction',
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
  });
  const db = drizzle(sql, { schema });
  return { sql, db, close: () => sql.end({ timeout: 5 }) };
}
