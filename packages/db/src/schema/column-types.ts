import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { customType } from 'drizzle-orm/pg-core';

export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
/**
 * Instants are epoch ms in every row drizzle hands back, as in raw SQL (see epochMs): one time
 * style at this package's boundary. Stored as timestamptz(3), so nothing is rounded away.
 */
export const ms = customType<{ data: number; driverData: string }>({
  dataType: () => 'timestamp (3) with time zone',
  toDriver: (at) => new Date(at).toISOString(),
  fromDriver: (value) => new Date(value).getTime(),
});
/** Set by Postgres on insert. */
export const insertedAt = (name: string) => ms(name).notNull().default(sql`now()`);

/**
 * `column in ('a', 'b', ...)` from a frozen list, so a check states the list its owner keeps
 * instead of a copy. The values are inlined as quoted literals (DDL takes no parameters), so the
 * generated constraint reads as it always did and drizzle-kit sees no change.
 */
export function isOneOf(column: AnyColumn, values: readonly string[]): SQL {
  const literals = sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );
  return sql`${column} in (${literals})`.inlineParams();
}

/** `column <@ array['a', 'b', ...]`: every element of an array column is in a frozen list (see isOneOf). */
export function isSubsetOf(column: AnyColumn, values: readonly string[]): SQL {
  const literals = sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );
  return sql`${column} <@ array[${literals}]::text[]`.inlineParams();
}

/** A 64-bit transaction id (never wraps); only compared in SQL, so it stays a string in TS. */
export const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });
