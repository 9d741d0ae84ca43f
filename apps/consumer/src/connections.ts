import { randomBytes } from 'node:crypto';
import { createDb, type Sql } from '@dutch/db';

/** Every application_name a consumer gives its connections starts with this (see `takeOver`). */
export const CONSUMER_APPLICATION_PREFIX = 'dutch-consumer ';

/** Postgres keeps at most 63 bytes of an application_name. */
const APPLICATION_NAME_BYTES = 63;

/**
 * One application_name for every connection of one consumer process, and no other: a consumer
 * taking over a frozen one's shards terminates all of that one's backends by this name, so a
 * transaction frozen mid-way (holding an auction's row lock) rolls back too. The random part
 * keeps two incarnations of the same CONSUMER_NAME apart; it comes first so that truncation
 * only ever cuts the readable name.
 */
export function consumerApplicationName(consumerName: string, instance = randomBytes(6).toString('hex')): string {
  return `${CONSUMER_APPLICATION_PREFIX}${instance} ${consumerName}`.slice(0, APPLICATION_NAME_BYTES);
}

export interface ConsumerConnections {
  readonly applicationName: string;
  /** Pool for settlement transactions. */
  readonly sql: Sql;
  /** A dedicated single connection: it holds the shard locks and renews their lease. */
  readonly lockSql: Sql;
  close(): Promise<void>;
}

export function openConsumerConnections(
  databaseUrl: string,
  options: { readonly consumerName: string; readonly poolSize: number },
): ConsumerConnections {
  const applicationName = consumerApplicationName(options.consumerName);
  const pool = createDb(databaseUrl, { max: options.poolSize, applicationName });
  // Its session holds the shard locks: recycling it would hand every shard round every half hour.
  const locks = createDb(databaseUrl, { max: 1, applicationName, maxLifetimeSeconds: null });
  return {
    applicationName,
    sql: pool.sql,
    lockSql: locks.sql,
    async close() {
      await Promise.allSettled([pool.close(), locks.close()]);
    },
  };
}
