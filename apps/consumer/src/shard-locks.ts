import type { Sql } from '@dutch/db';
import { hashFnv1a } from '@dutch/stream';

/** What a settlement transaction checks to prove this consumer still owns the shard. */
export interface Fence {
  readonly classId: number;
  readonly shard: number;
  readonly pid: number;
}

/** A 31-bit key for the prefix, so two deployments sharing one database never share shard locks. */
export function lockClassId(prefix: string): number {
  return hashFnv1a(prefix) & 0x7fffffff;
}

/**
 * Shard ownership as PostgreSQL session-level advisory locks, all held on one dedicated
 * connection. A lock lives exactly as long as that connection: a consumer that dies, or
 * whose connection drops, loses its shards at once, and no timer can expire under a live
 * owner. Settlement transactions run on other connections, so each one re-checks, under the
 * auction's row lock, that the owner connection still holds the shard (see `lockAuction`).
 */
export class ShardLocks {
  private pid: number | null = null;
  private readonly held = new Set<number>();

  constructor(
    private readonly sql: Sql,
    readonly classId: number,
  ) {}

  owned(): ReadonlySet<number> {
    return this.held;
  }

  async tryAcquire(shard: number): Promise<boolean> {
    const [row] = await this.sql<{ ok: boolean; pid: number }[]>`
      select pg_try_advisory_lock(${this.classId}::int, ${shard}::int) as ok, pg_backend_pid() as pid`;
    if (row === undefined) return false;
    this.notePid(row.pid);
    if (row.ok) this.held.add(shard);
    return row.ok;
  }

  async release(shard: number): Promise<void> {
    if (!this.held.delete(shard)) return;
    await this.sql`select pg_advisory_unlock(${this.classId}::int, ${shard}::int)`;
  }

  /**
   * Asks the server which shard locks this session really holds, and forgets the others
   * (after a reconnect the session is new and holds none). Returns the shards lost.
   */
  async verify(): Promise<number[]> {
    const [row] = await this.sql<{ pid: number; shards: number[] }[]>`
      select pg_backend_pid() as pid,
             coalesce(array_agg(objid::int8) filter (
               where locktype = 'advisory' and classid = ${this.classId}::int::oid and objsubid = 2 and granted), '{}') as shards
      from pg_locks where pid = pg_backend_pid()`;
    if (row === undefined) return [];
    this.notePid(row.pid);
    const really = new Set(row.shards.map(Number));
    const lost = [...this.held].filter((shard) => !really.has(shard));
    for (const shard of lost) this.held.delete(shard);
    return lost;
  }

  fence(shard: number): Fence | null {
    if (this.pid === null || !this.held.has(shard)) return null;
    return { classId: this.classId, shard, pid: this.pid };
  }

  private notePid(pid: number): void {
    if (this.pid !== null && this.pid !== pid) this.held.clear();
    this.pid = pid;
  }
}
