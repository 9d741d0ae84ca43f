import {
  countSettled,
  giveUpRefund,
  insertNotifications,
  insertReceipts,
  nextSettleSeqOfGoneAuction,
  type Sql,
} from '@dutch/db';
import { receiptAfterGivingUp } from '@dutch/domain';
import { isRetryableError } from '@dutch/runtime';
import {
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
  type StreamMessage,
  streamKey,
} from '@dutch/stream';
import type { Logger } from 'pino';
import { notificationsOfGivenUpBid } from './given-up-notifications.ts';
import { lockOwnedAuction } from './lock-owned-auction.ts';
import { publishNotify } from './publish-notify.ts';
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
  /** The buyer whose FAILED receipt (and its notification) this wrote. */
  let notified: string | null = null;
  try {
    if (refund !== null) {
      await giveUpRefund(ctx.sql, refund, receiptAfterGivingUp('refund'));
    } else {
      // A close has no receipt: the closer appends another once REAPPEND_AFTER_MS has passed.
      const bid = decoded.ok ? givenUpBidOf(decoded.message) : bidOf(pending);
      if (bid !== null && (await failBid(ctx.sql, bid, pending?.sellerId ?? null, entry.id, fence, now))) {
        notified = bid.buyerId;
      }
    }
  } catch (error) {
    if (isRetryableError(error)) throw error;
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
  if (notified !== null) await publishNotify(ctx.redis, ctx.layout, [notified]);
  ctx.logger.warn({ streamId: entry.id, shard, deliveries, reason, receiptId }, 'entry dead-lettered');
}

/** A bid of either format as its FAILED receipt is written: an English one is one lot at its amount. */
export interface GivenUpBid {
  readonly receiptId: string;
  readonly auctionId: string;
  readonly buyerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly acceptedAt: number;
  readonly format: 'dutch' | 'english';
}

/** The bid a decoded entry carries; null for a close (or a refund, given up on its own way). */
function givenUpBidOf(message: StreamMessage): GivenUpBid | null {
  const { kind } = message;
  if (kind === 'bid') return { ...message, format: 'dutch' };
  if (kind === 'english_bid') return { ...message, quantity: 1, unitPrice: message.amount, format: 'english' };
  return null;
}

/** An undecodable entry may still name its receipt; the gateway's pending copy has the rest. */
export function bidOf(pending: PendingReceipt): GivenUpBid;
export function bidOf(pending: PendingReceipt | null): GivenUpBid | null;
export function bidOf(pending: PendingReceipt | null): GivenUpBid | null {
  if (pending === null) return null;
  return {
    receiptId: pending.id,
    auctionId: pending.auctionId,
    buyerId: pending.buyerId,
    quantity: pending.quantity,
    unitPrice: pending.unitPrice,
    acceptedAt: pending.acceptedAt,
    format: pending.format ?? 'dutch',
  };
}

/**
 * Writes the bid's receipt as FAILED (PROCESSING_FAILED), next in its auction's settlement order,
 * with its buyer's receipt notification in the same transaction. An auction that is gone still
 * gets the row when the gateway's copy names the seller: a 202 was answered for it. Such a row
 * holds nothing and moves nothing (auditLedger allows exactly that), and tells nobody: there is
 * no auction left to name.
 */
export async function failBid(
  sql: Sql,
  bid: GivenUpBid,
  sellerId: string | null,
  streamId: string,
  fence: Fence | null,
  now: number,
): Promise<boolean> {
  const after = receiptAfterGivingUp('bid');
  return sql.begin(async (tx) => {
    const auction = await lockOwnedAuction(tx, bid.auctionId, fence);
    if (auction === null && sellerId === null) return false;
    const firstSeq = auction !== null ? auction.settledCount + 1 : await nextSettleSeqOfGoneAuction(tx, bid.auctionId);
    const batch = {
      auctionId: bid.auctionId,
      sellerId: auction?.terms.sellerId ?? (sellerId as string),
      firstSeq,
      settledAt: now,
      skipExisting: true,
    };
    const [inserted] = await insertReceipts(tx, batch, [
      {
        id: bid.receiptId,
        buyerId: bid.buyerId,
        format: bid.format,
        quantity: bid.quantity,
        unitPrice: bid.unitPrice,
        total: bid.unitPrice * bid.quantity,
        status: after.status,
        failureReason: after.failureReason,
        acceptedAt: bid.acceptedAt,
        streamId,
      },
    ]);
    if (inserted !== undefined && auction !== null) {
      await Promise.all([
        countSettled(tx, auction.id),
        insertNotifications(tx, notificationsOfGivenUpBid(auction, bid)),
      ]);
    }
    return inserted !== undefined;
  });
}
