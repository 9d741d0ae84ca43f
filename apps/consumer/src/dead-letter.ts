import type { Sql } from '@dutch/db';
import { HELD_STATUSES } from '@dutch/domain';
import {
  type BidMessage,
  CONSUMER_GROUP,
  clearRefundMarks,
  deadLetterKey,
  decodeMessage,
  decodePendingReceipt,
  encodePendingReceipt,
  execPipeline,
  failedPendingReceipt,
  type KeyLayout,
  type PendingReceipt,
  pendingReceiptsKey,
  type RedisClient,
  receiptIdOf,
  refundMarksKey,
  streamKey,
} from '@dutch/stream';
import type { Logger } from 'pino';
import { isTransientError } from './errors.ts';
import { lockAuction } from './locked-auction.ts';
import type { Fence } from './shard-locks.ts';
import type { RawEntry } from './stream-io.ts';

export interface DeadLetterContext {
  readonly sql: Sql;
  readonly redis: RedisClient;
  readonly layout: KeyLayout;
  readonly logger: Logger;
}

/**
 * Gives up on an entry that kept failing: its receipt becomes FAILED with PROCESSING_FAILED
 * (a refund goes back to PURCHASED with that reason, and loses its REFUND_PENDING mark), the
 * entry is copied to the shard's dead-letter stream for an operator, and only then
 * acknowledged. Each step is idempotent, so a crash halfway is finished by the next attempt.
 * `deliveries`: how many times the entry was tried. If Postgres refuses even the FAILED row,
 * the pending copy becomes the receipt's final record instead of being dropped: a receipt
 * answered 202 always reaches a final status.
 */
export async function deadLetter(
  ctx: DeadLetterContext,
  shard: number,
  entry: RawEntry,
  deliveries: number,
  fence: Fence | null,
  now: number,
): Promise<void> {
  const fields = entry.fields ?? [];
  const decoded = decodeMessage(fields);
  const reason = decoded.ok ? 'settlement kept failing' : `undecodable: ${decoded.error}`;
  const receiptId = receiptIdOf(fields);
  const pendingKey = pendingReceiptsKey(ctx.layout, shard);
  // The gateway's pending copy: what an undecodable entry was about.
  const pending = receiptId === null ? null : decodePendingReceipt(await ctx.redis.hget(pendingKey, receiptId));
  const refund = decoded.ok && decoded.message.kind === 'refund' ? decoded.message : null;
  let recorded = true;
  try {
    if (refund !== null) {
      await ctx.sql`
        update receipts set status = 'PURCHASED', failure_reason = 'PROCESSING_FAILED',
          refund_request_id = ${refund.requestId}
        where id = ${refund.receiptId} and status = any(${[...HELD_STATUSES]}::text[])
          and refund_request_id is distinct from ${refund.requestId}`;
    } else {
      const bid = decoded.ok && decoded.message.kind === 'bid' ? decoded.message : bidOf(pending);
      if (bid !== null) await failBid(ctx.sql, bid, pending?.sellerId ?? null, entry.id, fence, now);
    }
  } catch (error) {
    if (isTransientError(error)) throw error;
    recorded = false;
    ctx.logger.error(
      { err: error, streamId: entry.id, shard },
      'could not record the dead-lettered receipt as FAILED; its pending copy stays as the final record',
    );
  }
  // Before the acknowledgement: a crash in between redelivers the entry, never strands a mark.
  if (refund !== null) await clearRefundMarks(ctx.redis, refundMarksKey(ctx.layout, shard), [refund]);

  const pipeline = ctx.redis.pipeline();
  pipeline.xadd(
    deadLetterKey(ctx.layout, shard),
    '*',
    'originalId',
    entry.id,
    'reason',
    reason,
    'deliveries',
    String(deliveries),
    'deadLetteredAt',
    String(now),
    ...fields,
  );
  pipeline.xack(streamKey(ctx.layout, shard), CONSUMER_GROUP, entry.id);
  if (pending !== null) {
    if (recorded) pipeline.hdel(pendingKey, pending.id);
    else pipeline.hset(pendingKey, pending.id, encodePendingReceipt(failedPendingReceipt(pending, now)));
  }
  await execPipeline(pipeline);
  ctx.logger.warn({ streamId: entry.id, shard, deliveries, reason, receiptId }, 'entry dead-lettered');
}

/** An undecodable entry may still name its receipt; the gateway's pending copy has the rest. */
export function bidOf(pending: PendingReceipt): BidMessage;
export function bidOf(pending: PendingReceipt | null): BidMessage | null;
export function bidOf(pending: PendingReceipt | null): BidMessage | null {
  if (pending === null) return null;
  return {
    kind: 'bid',
    receiptId: pending.id,
    auctionId: pending.auctionId,
    buyerId: pending.buyerId,
    quantity: pending.quantity,
    unitPrice: pending.unitPrice,
    acceptedAt: pending.acceptedAt,
  };
}

/**
 * Writes the bid's receipt as FAILED (PROCESSING_FAILED), next in its auction's settlement order.
 * An auction that is gone still gets the row when the gateway's copy names the seller: a 202
 * was answered for it. Such a row holds nothing and moves nothing (auditLedger allows exactly that).
 */
export async function failBid(
  sql: Sql,
  bid: BidMessage,
  sellerId: string | null,
  streamId: string,
  fence: Fence | null,
  now: number,
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const auction = await lockAuction(tx, bid.auctionId, fence);
    if (auction === null && sellerId === null) return false;
    let seq: number;
    if (auction !== null) seq = auction.settledCount + 1;
    else {
      // No auction row to lock: serialise writers of this auction id another way.
      await tx`select pg_advisory_xact_lock(hashtext(${bid.auctionId}))`;
      const [last] = await tx<{ seq: number }[]>`
        select coalesce(max(settle_seq), 0)::int8 as seq from receipts where auction_id = ${bid.auctionId}`;
      seq = Number(last?.seq ?? 0) + 1;
    }
    const [inserted] = await tx`
      insert into receipts (id, auction_id, buyer_id, seller_id, quantity, unit_price, total, status, failure_reason,
                            accepted_at, settled_at, stream_id, settle_seq)
      values (${bid.receiptId}, ${bid.auctionId}, ${bid.buyerId}, ${auction?.terms.sellerId ?? sellerId}, ${bid.quantity},
              ${bid.unitPrice}, ${bid.unitPrice * bid.quantity}, 'FAILED', 'PROCESSING_FAILED',
              'epoch'::timestamptz + ${bid.acceptedAt}::int8 * interval '1 millisecond',
              'epoch'::timestamptz + ${now}::int8 * interval '1 millisecond', ${streamId}, ${seq})
      on conflict (id) do nothing
      returning id`;
    if (inserted !== undefined && auction !== null) {
      await tx`update auctions set settled_count = settled_count + 1 where id = ${auction.id}`;
    }
    return inserted !== undefined;
  });
}
