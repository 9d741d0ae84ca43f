import type { AuctionTerms } from '@dutch/domain';
import { AUCTION_TERMS_COLUMNS, type AuctionTermsRow, termsOf } from '../auction-terms.ts';
import type { Tx } from '../client.ts';
import type { Fence } from './fence.ts';

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
 * same statement checks that the fence's owner connection still holds the shard: a consumer
 * that lost its shard cannot commit, however late its transaction runs. `fenced` is false only
 * when a fence was given and no longer holds. Null for an auction that does not exist.
 */
export async function lockAuction(
  tx: Tx,
  auctionId: string,
  fence: Fence | null,
): Promise<{ auction: LockedAuction; fenced: boolean } | null> {
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
  const auction = {
    id: row.id,
    terms: termsOf(row),
    withdrawn: row.deleted,
    stock: row.stock,
    settledCount: row.settledCount,
  };
  return { auction, fenced: row.fenced };
}
