import { isRetryableError } from '@dutch/runtime';
import {
  CONSUMER_GROUP,
  decodePendingReceipt,
  encodePendingReceipt,
  execPipeline,
  failedPendingReceipt,
  type KeyLayout,
  type PendingReceipt,
  pendingReceiptsKey,
  type RedisClient,
  receiptIdOf,
  streamKey,
} from '@dutch/stream';
import { bidOf, type DeadLetterContext, failBid } from './dead-letter.ts';
import { publishNotify } from './publish-notify.ts';
import type { Fence } from './shard-locks.ts';
import { groupInfo } from './stream-io.ts';

/** What a receipt failed here records as its stream id: its entry is gone, so it has no place in stream order. */
export const LOST_STREAM_ID = 'lost';

/** More entries in play than this and the scan is not cheap: wait for the backlog to settle first. */
const IN_PLAY_LIMIT = 10_000;

/**
 * Pending receipts accepted before `cutoff` (epoch ms) whose stream entry is no longer in play:
 * neither pending in the group nor undelivered (deleted with XDEL, say, so a claim returned it
 * without fields and there was nothing to settle). Null when too much is in play to tell cheaply.
 * Call it from the shard's owner between batches: the gateway writes an entry and its pending
 * copy in one script, so an entry of a copy read here is in the stream by the time it is looked for.
 */
export async function findStranded(
  redis: RedisClient,
  layout: KeyLayout,
  shard: number,
  cutoff: number,
): Promise<PendingReceipt[] | null> {
  const old = (await hashValues(redis, pendingReceiptsKey(layout, shard)))
    .map(decodePendingReceipt)
    .filter((p): p is PendingReceipt => p !== null && p.failureReason === undefined && p.acceptedAt < cutoff);
  if (old.length === 0) return [];
  const inPlay = await receiptsInPlay(redis, streamKey(layout, shard));
  return inPlay === null ? null : old.filter((p) => !inPlay.has(p.id));
}

/** Fails a stranded receipt (PROCESSING_FAILED) and drops its pending copy, or keeps the copy as its final record. */
export async function failStranded(
  ctx: DeadLetterContext,
  shard: number,
  pending: PendingReceipt,
  fence: Fence,
  now: number,
): Promise<void> {
  const key = pendingReceiptsKey(ctx.layout, shard);
  const pipeline = ctx.redis.pipeline();
  let notified = false;
  try {
    notified = await failBid(ctx.sql, bidOf(pending), pending.sellerId, LOST_STREAM_ID, fence, now);
    pipeline.hdel(key, pending.id);
  } catch (error) {
    if (isRetryableError(error)) throw error;
    ctx.logger.error({ err: error, receiptId: pending.id, shard }, 'could not record a stranded receipt as FAILED');
    pipeline.hset(key, pending.id, encodePendingReceipt(failedPendingReceipt(pending, now)));
  }
  await execPipeline(pipeline);
  if (notified) await publishNotify(ctx.redis, ctx.layout, [pending.buyerId]);
  ctx.logger.warn({ receiptId: pending.id, shard }, 'receipt whose stream entry vanished failed (PROCESSING_FAILED)');
}

/** Receipt ids of the entries still to be settled: undelivered, or pending at some consumer. */
async function receiptsInPlay(redis: RedisClient, key: string): Promise<Set<string> | null> {
  const info = await groupInfo(redis, key);
  if (info === null) return null;
  const undelivered = (await redis.xrange(key, `(${info.lastDeliveredId}`, '+', 'COUNT', IN_PLAY_LIMIT + 1)) as [
    string,
    string[],
  ][];
  const pending = (await redis.xpending(key, CONSUMER_GROUP, '-', '+', IN_PLAY_LIMIT + 1)) as [string, ...unknown[]][];
  if (undelivered.length > IN_PLAY_LIMIT || pending.length > IN_PLAY_LIMIT) return null;
  const pipeline = redis.pipeline();
  for (const [id] of pending) pipeline.xrange(key, id, id);
  const claimed = (await execPipeline(pipeline)) as [string, string[]][][];
  const ids = new Set<string>();
  for (const [, fields] of [...undelivered, ...claimed.flat()]) {
    const receiptId = receiptIdOf(fields);
    if (receiptId !== null) ids.add(receiptId);
  }
  return ids;
}

async function hashValues(redis: RedisClient, key: string): Promise<string[]> {
  const values: string[] = [];
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'COUNT', 1000);
    for (let i = 1; i < flat.length; i += 2) values.push(flat[i] as string);
    cursor = next;
  } while (cursor !== '0');
  return values;
}
