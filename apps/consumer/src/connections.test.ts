import { createTestDatabase } from '@dutch/testkit';
import { describe, expect, it } from 'vitest';
import { consumerApplicationName, openConsumerConnections } from './connections.ts';

describe("a consumer's connections", () => {
  it('keeps the lock connection for ever (its session holds the shard locks) and recycles the pool as usual', async () => {
    const db = await createTestDatabase();
    const conn = openConsumerConnections(db.url, { consumerName: 'lifetimes', poolSize: 2 });
    try {
      expect(conn.lockSql.options.max_lifetime).toBeNull();
      expect(conn.sql.options.max_lifetime).not.toBeNull();
      const [row] = await conn.lockSql<{ name: string }[]>`select current_setting('application_name') as name`;
      expect(row?.name).toBe(conn.applicationName);
    } finally {
      await conn.close();
      await db.drop();
    }
  });

  it('names every connection of one process alike, and two incarnations apart', () => {
    expect(consumerApplicationName('c1', 'aaa')).toBe('dutch-consumer aaa c1');
    expect(consumerApplicationName('c1')).not.toBe(consumerApplicationName('c1'));
    expect(Buffer.byteLength(consumerApplicationName('x'.repeat(100)))).toBeLessThanOrEqual(63);
  });
});
