import { epochMs, type Sql } from '@dutch/db';
import { type KeyLayout, type PendingReceipt, pendingReceiptsKey, type RedisClient, shardOf } from '@dutch/stream';

/** A settled receipt as Postgres holds it: the one shape tests and the bench read back. */
export interface ReceiptRow
  extends Pick<
    PendingReceipt,
    'id' | 'auctionId' | 'buyerId' | 'sellerId' | 'quantity' | 'unitPrice' | 'total' | 'acceptedAt'
  > {
  readonly status: string;
  readonly failureReason: string | null;
  readonly settledAt: number;
  readonly streamId: string;
  readonly settleSeq: number;
}

/** The receipts of one auction or several, in settlement order within each auction. */
export async function receiptsOf(sql: Sql, auctions: string | readonly string[]): Promise<ReceiptRow[]> {
  const ids = typeof auctions === 'string' ? [auctions] : [...auctions];
  return sql<ReceiptRow[]>`
    select id, auction_id as "auctionId", buyer_id as "buyerId", seller_id as "sellerId", quantity,
           unit_price as "unitPrice", total, status, failure_reason as "failureReason",
           ${sql.unsafe(epochMs('accepted_at'))} as "acceptedAt", ${sql.unsafe(epochMs('settled_at'))} as "settledAt",
           stream_id as "streamId", settle_seq as "settleSeq"
    from receipts where auction_id = any(${ids}::uuid[]) order by auction_id, settle_seq`;
}

/**
 * How many of these receipts still have a pending copy in Redis (a settled receipt must have none).
 * Pipelined in chunks, so a bench run's hundreds of thousands do not build one huge pipeline.
 */
export async function countPendingReceipts(
  redis: RedisClient,
  layout: KeyLayout,
  receipts: readonly { readonly receiptId: string; readonly auctionId: string }[],
): Promise<number> {
  let left = 0;
  for (let i = 0; i < receipts.length; i += 5_000) {
    const pipeline = redis.pipeline();
    for (const r of receipts.slice(i, i + 5_000)) {
      pipeline.hexists(pendingReceiptsKey(layout, shardOf(r.auctionId, layout.shards)), r.receiptId);
    }
    for (const [error, exists] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      left += Number(exists);
    }
  }
  return left;
}
