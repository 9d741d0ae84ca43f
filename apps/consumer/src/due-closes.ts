import { type DueClose, findDueCloses, type Sql } from '@dutch/db';
import { closeDueAt } from '@dutch/domain';
import { shardOf } from '@dutch/stream';

/** Due closes are looked for this often (real time): a close lands at most this late after its grace. */
export const CLOSER_EVERY_MS = 250;

/** Most overdue first; a close appended settles within a batch, so the next look sees the rest. */
const DUE_CLOSES_LIMIT = 1_000;

/**
 * The auctions whose close is due, shared by a consumer's shards: one query per look, however
 * many shards it owns, each shard taking its own auctions from it. Rows a look found are still
 * due a moment later (time only moves on) unless closed since, and appending a close twice is
 * harmless (appendClose skips a recent one; a second entry settles as a duplicate).
 */
export class DueCloses {
  private last: { readonly at: number; readonly rows: Promise<readonly DueClose[]> } | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly graceMs: number,
  ) {}

  /** This shard's due closes at `now`; `fresh` asks for a new look (drain: everything due right now). */
  async ofShard(shard: number, shards: number, now: number, fresh: boolean): Promise<DueClose[]> {
    const rows = await this.look(now, fresh);
    return rows.filter((row) => shardOf(row.id, shards) === shard && closeDueAt(row, this.graceMs) <= now);
  }

  private look(now: number, fresh: boolean): Promise<readonly DueClose[]> {
    const at = performance.now();
    if (!fresh && this.last !== null && at - this.last.at < CLOSER_EVERY_MS) return this.last.rows;
    const rows = findDueCloses(this.sql, now, this.graceMs, DUE_CLOSES_LIMIT).then((found) => [...found]);
    // A failed look is not kept: the next one asks again.
    rows.catch(() => {
      if (this.last?.rows === rows) this.last = null;
    });
    this.last = { at, rows };
    return rows;
  }
}
