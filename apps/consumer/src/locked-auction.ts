import { AUCTION_TERMS_COLUMNS, type AuctionTermsRow, type Tx, termsOf } from '@dutch/db';
import type { AuctionTerms } from '@dutch/domain';
import { FencedOutError } from './errors.ts';
import type { Fence } from './shard-locks.ts';

export type { Tx };

/** An auction row held FOR UPDATE for the rest of the transaction; stock and count move as runs settle. */
export interface LockedAuction {
  readonly id: string;
  readonly terms: AuctionTerms;
  readonly withdrawn: boolean;
  stock: number;
  settledCount: number;
}

interface Row extends AuctionTermsRow {
  readonly id: string;
  readonly stock: number;
  readonly settledCount: number;
  readonly deleted: boolean;
  readonly fenced: boolean;
}

/**
 * Takes the per-auction lock (the row, FOR UPDATE) for the transaction's lifetime, and in the
 * same statement checks that this consumer's owner connection still holds the shard: a
 * consumer that lost its shard cannot commit, however late its transaction runs.
 * Returns null for an auction that does not exist.
 */
export async function lockAuction(tx: Tx, auctionId: string, fence: Fence | null): Promise<LockedAuction | null> {
  const fenced =
    fence === null
      ? tx`true`
      : tx`exists (select 1 from pg_locks where locktype = 'advisory' and classid = ${fence.classId}::int::oid
          and objid = ${fence.shard}::int::oid and objsubid = 2 and pid = ${fence.pid}::int and granted)`;
  const [row] = await tx<Row[]>`
    select id, ${tx.unsafe(AUCTION_TERMS_COLUMNS)}, stock, settled_count as "settledCount",
           deleted_at is not null as deleted, ${fenced} as fenced
    from auctions where id = ${auctionId} for update`;
  if (row === undefined) return null;
  if (!row.fenced && fence !== null) throw new FencedOutError(fence.shard);
  return { id: row.id, terms: termsOf(row), withdrawn: row.deleted, stock: row.stock, settledCount: row.settledCount };
}

/** Locks member rows in id order, so transactions touching the same members never deadlock. */
export async function lockMembers(tx: Tx, memberIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await tx<{ id: string; points: number }[]>`
    select id, points from members where id = any(${[...new Set(memberIds)]}::uuid[]) order by id for update`;
  return new Map(rows.map((r) => [r.id, r.points]));
}

/** Applies net point changes in one statement. */
export function applyPointDeltas(tx: Tx, deltas: ReadonlyMap<string, number>) {
  const ids = [...deltas.keys()];
  const amounts = [...deltas.values()];
  return tx`
    update members m set points = m.points + d.delta
    from unnest(${ids}::uuid[], ${amounts}::int8[]) as d(id, delta)
    where m.id = d.id`;
}

/** Appends ledger rows (one per points move) in one statement. */
export function appendLedger(
  tx: Tx,
  kind: 'purchase' | 'refund',
  moves: readonly { from: string; to: string; amount: number; receiptId: string }[],
) {
  return tx`
    insert into points_ledger (kind, from_member, to_member, amount, receipt_id)
    select ${kind}, l.from_member, l.to_member, l.amount, l.receipt_id
    from unnest(${moves.map((m) => m.from)}::uuid[], ${moves.map((m) => m.to)}::uuid[],
                ${moves.map((m) => m.amount)}::int8[], ${moves.map((m) => m.receiptId)}::uuid[])
      as l(from_member, to_member, amount, receipt_id)`;
}

export function saveAuction(tx: Tx, auction: LockedAuction) {
  return tx`update auctions set stock = ${auction.stock}, settled_count = ${auction.settledCount} where id = ${auction.id}`;
}
