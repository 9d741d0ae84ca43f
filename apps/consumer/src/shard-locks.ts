import type { Fence, Sql } from '@dutch/db';
import { hashFnv1a } from '@dutch/stream';
import { CONSUMER_APPLICATION_PREFIX } from './connections.ts';

export type { Fence };

/** How long a takeover waits for each ended backend to be gone (its locks freed). */
const TERMINATE_WAIT_MS = 2_000;

/** A 31-bit key for the prefix, so two deployments sharing one database never share shard locks. */
export function lockClassId(prefix: string): number {
  return hashFnv1a(prefix) & 0x7fffffff;
}

/** What a takeover did: the stale owner's lock backend and every other backend of that consumer, ended. */
export interface Takeover {
  readonly holderPid: number;
  readonly applicationName: string;
  readonly silentMs: number;
  /** Backends ended, the lock holder's included. */
  readonly terminated: number;
}

/**
 * Shard ownership as PostgreSQL session-level advisory locks, all held on one dedicated
 * connection. A lock lives exactly as long as that connection: a consumer that dies, or
 * whose connection drops, loses its shards at once. A consumer that freezes (SIGSTOP, a
 * blocked event loop) keeps its connection, though, so the owner also renews a lease: each
 * query on this connection (`renew`, run every rebalance tick) moves the backend's
 * `pg_stat_activity.state_change`, a heartbeat on the server's clock, and a holder silent
 * longer than the takeover bound is terminated by a live consumer (`takeOver`). Settlement
 * transactions run on other connections, so each one re-checks, under the auction's row lock,
 * that the owner connection still holds the shard (see `lockAuction`).
 */
export class ShardLocks {
  private pid: number | null = null;
  private readonly held = new Set<number>();
  /** Shards dropped because the session changed under us, for `verify` to report. */
  private readonly dropped = new Set<number>();
  /** performance.now() when the last query that got an answer on this session was sent. */
  private renewedAt = Number.NEGATIVE_INFINITY;

  /**
   * @param leaseMs how long this process trusts its locks after the last answer from their
   *   session: below the takeover bound, so a consumer waking from a freeze stops using its
   *   shards on its own before (or as) another takes them over.
   */
  constructor(
    private readonly sql: Sql,
    readonly classId: number,
    private readonly leaseMs = Number.POSITIVE_INFINITY,
  ) {}

  owned(): ReadonlySet<number> {
    return this.held;
  }

  async tryAcquire(shard: number): Promise<boolean> {
    const sentAt = performance.now();
    const [row] = await this.sql<{ ok: boolean; pid: number }[]>`
      select pg_try_advisory_lock(${this.classId}::int, ${shard}::int) as ok, pg_backend_pid() as pid`;
    if (row === undefined) return false;
    this.noteSession(row.pid, sentAt);
    if (row.ok) this.held.add(shard);
    return row.ok;
  }

  async release(shard: number): Promise<void> {
    if (!this.held.delete(shard)) return;
    await this.sql`select pg_advisory_unlock(${this.classId}::int, ${shard}::int)`;
  }

  /** The heartbeat: a trivial query on the lock session, so other consumers can see it is alive. */
  async renew(): Promise<void> {
    const sentAt = performance.now();
    const [row] = await this.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    if (row !== undefined) this.noteSession(row.pid, sentAt);
  }

  /**
   * Asks the server which shard locks this session really holds, and forgets the others
   * (after a reconnect the session is new and holds none). Returns the shards lost.
   */
  async verify(): Promise<number[]> {
    const sentAt = performance.now();
    const [row] = await this.sql<{ pid: number; shards: number[] }[]>`
      select pg_backend_pid() as pid,
             coalesce(array_agg(objid::int8) filter (
               where locktype = 'advisory' and classid = ${this.classId}::int::oid and objsubid = 2 and granted), '{}') as shards
      from pg_locks where pid = pg_backend_pid()`;
    if (row === undefined) return [];
    this.noteSession(row.pid, sentAt);
    const really = new Set(row.shards.map(Number));
    const lost = [...this.dropped, ...[...this.held].filter((shard) => !really.has(shard))];
    this.dropped.clear();
    for (const shard of lost) this.held.delete(shard);
    return lost;
  }

  /**
   * Ends the session holding `shard` if it has been idle longer than `staleMs` (server clock),
   * and then every other backend of the same consumer (same application_name), so that a
   * transaction it froze in the middle of rolls back and frees its row locks. The holder is
   * ended first and waited for: a transaction that passed its fence check before that is on a
   * backend the second sweep sees. Null when the holder is live (or there is none).
   * Needs the same role as the holder (or pg_signal_backend and pg_read_all_stats).
   */
  async takeOver(shard: number, staleMs: number): Promise<Takeover | null> {
    const [holder] = await this.sql<{ pid: number; applicationName: string; silentMs: number; gone: boolean }[]>`
      select a.pid, a.application_name as "applicationName",
             (extract(epoch from clock_timestamp() - a.state_change) * 1000)::float8 as "silentMs",
             pg_terminate_backend(a.pid, ${TERMINATE_WAIT_MS}::int8) as gone
      from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.classid = ${this.classId}::int::oid and l.objid = ${shard}::int::oid
        and l.objsubid = 2 and l.granted and a.pid <> pg_backend_pid() and a.state = 'idle'
        and a.state_change < clock_timestamp() - make_interval(secs => ${staleMs}::float8 / 1000)`;
    if (holder === undefined) return null;
    let terminated = holder.gone ? 1 : 0;
    if (holder.applicationName.startsWith(CONSUMER_APPLICATION_PREFIX)) {
      const rows = await this.sql<{ gone: boolean }[]>`
        select pg_terminate_backend(pid, ${TERMINATE_WAIT_MS}::int8) as gone from pg_stat_activity
        where application_name = ${holder.applicationName} and datname = current_database()
          and pid <> pg_backend_pid()`;
      terminated += rows.filter((row) => row.gone).length;
    }
    return { holderPid: holder.pid, applicationName: holder.applicationName, silentMs: holder.silentMs, terminated };
  }

  fence(shard: number): Fence | null {
    if (this.pid === null || !this.held.has(shard)) return null;
    if (performance.now() - this.renewedAt > this.leaseMs) return null;
    return { classId: this.classId, shard, pid: this.pid };
  }

  private noteSession(pid: number, sentAt: number): void {
    if (this.pid !== null && this.pid !== pid) {
      for (const shard of this.held) this.dropped.add(shard);
      this.held.clear();
    }
    this.pid = pid;
    this.renewedAt = Math.max(this.renewedAt, sentAt);
  }
}
