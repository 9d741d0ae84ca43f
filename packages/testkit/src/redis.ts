import { randomBytes } from 'node:crypto';
import { Cluster, type Redis } from 'ioredis';

/** A key prefix no other test run uses, so streams and keys never collide. */
export function randomPrefix(): string {
  return `t${randomBytes(5).toString('hex')}:`;
}

/**
 * Deletes every key under the prefix. On a Redis Cluster, SCAN sees one node's keys only, so
 * every master is scanned, and keys are unlinked one by one (one UNLINK of keys in several
 * slots would be refused with CROSSSLOT).
 */
export async function deleteKeys(redis: Redis | Cluster, prefix: string): Promise<void> {
  const cluster = redis instanceof Cluster;
  for (const node of cluster ? redis.nodes('master') : [redis]) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      if (!cluster) {
        await node.unlink(...keys);
        continue;
      }
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.unlink(key);
      await pipeline.exec();
    } while (cursor !== '0');
  }
}
