import type { AuctionTerms, EnglishLead, EnglishTerms } from '@dutch/domain';
import { AUCTION_TERMS_COLUMNS, type AuctionTermsRow, type EnglishLeadRow, formatTermsOf } from '../auction-terms.ts';
import type { Tx } from '../client.ts';
import type { Fence } from './fence.ts';

/** What both formats' locked rows have; the mutable fields move as the transaction's runs settle. */
interface LockedAuctionState {
  readonly id: string;
  /** For the words of the notifications a settlement stores, as of its decision. */
  readonly title: string;
  readonly withdrawn: boolean;
  /** Epoch ms; set once by the close. A close run that finds it set is a duplicate. */
  closedAt: number | null;
  stock: number;
  settledCount: number;
}

export interface LockedDutchAuction extends LockedAuctionState {
  readonly format: 'dutch';
  readonly terms: AuctionTerms;
}

export interface LockedEnglishAuction extends LockedAuctionState {
  readonly format: 'english';
  readonly terms: EnglishTerms;
  /** As Postgres holds it; a run replaces it with the settlement's lead (saveEnglishLead writes it). */
  lead: EnglishLead;
}

/**
 * An auction row held FOR UPDATE for the rest of the transaction, by format: narrow on `format`
 * before handing `terms` to the domain. `terms.sellerId` is there for both.
 */
export type LockedAuction = LockedDutchAuction | LockedEnglishAuction;

interface Row extends AuctionTermsRow, EnglishLeadRow {
  readonly id: string;
  readonly title: string;
  readonly stock: number;
  readonly settledCount: number;
  readonly closedAt: number | null;
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
    select id, title, ${tx.unsafe(AUCTION_TERMS_COLUMNS)}, stock, settled_count as "settledCount",
           deleted_at is not null as deleted, ${fenced} as fenced
    from auctions where id = ${auctionId} for update`;
  if (row === undefined) return null;
  const state = {
    id: row.id,
    title: row.title,
    withdrawn: row.deleted,
    closedAt: row.closedAt,
    stock: row.stock,
    settledCount: row.settledCount,
  };
  return { auction: { ...state, ...formatTermsOf(row) }, fenced: row.fenced };
}
