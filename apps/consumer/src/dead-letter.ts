import type { Sql } from '@dutch/db';
import { HELD_STATUSES } from '@dutch/domain';
import {
  type BidMessage,
  CONSUMER_GROUP,
  deadLetterKey,
  decodeMessage,
  decodePendingReceipt,
  execPipeline,
  type KeyLayout,
  type PendingReceipt,
  pendingReceiptsKey,
  type RedisClient,
  receiptIdOf,
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
 * (a refund goes back to PURCHASED with that reason), the entry is copied to the shard's
 * dead-letter stream for an operator, and only then acknowledged. Each step is idempotent,
 * so a crash halfway is finished by the next attempt.
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
  // The gateway's pending copy: what an undecodable entry was about.
  const pending =
    receiptId === null
      ? null
      : decodePendingReceipt(await ctx.redis.hget(pendingReceiptsKey(ctx.layout, shard), receiptId));
  try {
    if (decoded.ok && decoded.message.kind === 'refund') {
      await ctx.sql`
        update receipts set status = 'PURCHASED', failure_reason = 'PROCESSING_FAILED',
          refund_request_id = ${decoded.message.requestId}
        where id = ${decoded.message.receiptId} and status = any(${[...HELD_STATUSES]}::text[])
          and refund_request_id is distinct from ${decoded.message.requestId}`;
    } else {
      const bid = decoded.ok && decoded.message.kind === 'bid' ? decoded.message : bidOf(pending);
      if (bid !== null) await failBid(ctx.sql, bid, entry.id, fence, now);
    }
  } catch (error) {
    if (isTransientError(error)) throw error;
    ctx.logger.error({ err: error, streamId: entry.id, shard }, 'could not record the dead-lettered receipt as FAILED');
  }

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
  if (pending !== null) pipeline.hdel(pendingReceiptsKey(ctx.layout, shard), pending.id);
  await execPipeline(pipeline);
  ctx.logger.warn({ streamId: entry.id, shard, deliveries, reason, receiptId }, 'entry dead-lettered');
}

/** An undecodable entry may still name its receipt; the gateway's pending copy has the rest. */
function bidOf(pending: PendingReceipt | null): BidMessage | null {
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

async function failBid(sql: Sql, bid: BidMessage, streamId: string, fence: Fence | null, now: number): Promise<void> {
  await sql.begin(async (tx) => {
    const auction = await lockAuction(tx, bid.auctionId, fence);
    if (auction === null) return;
    const [inserted] = await tx`
      insert into receipts (id, auction_id, buyer_id, seller_id, quantity, unit_price, total, status, failure_reason,
                            accepted_at, settled_at, stream_id, settle_seq)
      values (${bid.receiptId}, ${auction.id}, ${bid.buyerId}, ${auction.terms.sellerId}, ${bid.quantity}, ${bid.unitPrice},
              ${bid.unitPrice * bid.quantity}, 'FAILED', 'PROCESSING_FAILED',
              'epoch'::timestamptz + ${bid.acceptedAt}::int8 * interval '1 millisecond',
              'epoch'::timestamptz + ${now}::int8 * interval '1 millisecond', ${streamId}, ${auction.settledCount + 1})
      on conflict (id) do nothing
      returning id`;
    if (inserted !== undefined) {
      await tx`update auctions set settled_count = settled_count + 1 where id = ${auction.id}`;
    }
  });
}
