import { type Db, findReceiptRow } from '@dutch/db';
import { isRefundable } from '@dutch/domain';
import {
  decodePendingReceipt,
  type KeyLayout,
  type PendingReceipt,
  pendingReceiptsKey,
  type RedisClient,
  refundMarksKey,
  shardOf,
} from '@dutch/stream';
import { pendingReceiptView, type ReceiptView, settledReceiptView } from '../views/receipt-view.ts';

/** A receipt from its Redis copy: PENDING, or FAILED when the consumer gave up on it and kept the copy as its record. */
export function redisReceiptView(copy: PendingReceipt): ReceiptView {
  const view = pendingReceiptView(copy);
  if (copy.failureReason === undefined) return view;
  return {
    ...view,
    status: 'FAILED',
    failureReason: copy.failureReason,
    settledAt: new Date(copy.settledAt ?? copy.acceptedAt).toISOString(),
  };
}

/**
 * Postgres keeps decided refunds only: a refundable receipt (PURCHASED, or an English WON) with a
 * refund queued reads REFUND_PENDING.
 */
async function withRefundMark(redis: RedisClient, layout: KeyLayout, view: ReceiptView): Promise<ReceiptView> {
  if (!isRefundable(view.status)) return view;
  const marks = refundMarksKey(layout, shardOf(view.auctionId, layout.shards));
  return (await redis.hexists(marks, view.id)) === 1 ? { ...view, status: 'REFUND_PENDING' } : view;
}

/**
 * A receipt wherever it is: Postgres once settled, Redis while pending. The pending copy
 * sits in its auction's shard, which the id alone does not tell, so every shard is asked
 * (one pipelined round trip). Postgres is asked again last: the consumer commits before it
 * deletes the pending copy, so a receipt missing from both was settled in between.
 */
export async function findReceipt(
  db: Db,
  redis: RedisClient,
  layout: KeyLayout,
  id: string,
): Promise<ReceiptView | null> {
  const settled = await findReceiptRow(db, id);
  if (settled !== undefined) return withRefundMark(redis, layout, settledReceiptView(settled));
  const copies = await Promise.all(
    Array.from({ length: layout.shards }, (_, shard) => redis.hget(pendingReceiptsKey(layout, shard), id)),
  );
  for (const copy of copies) {
    const pending = decodePendingReceipt(copy);
    if (pending !== null && pending.id === id) return redisReceiptView(pending);
  }
  const late = await findReceiptRow(db, id);
  return late === undefined ? null : withRefundMark(redis, layout, settledReceiptView(late));
}
