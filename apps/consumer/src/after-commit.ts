import {
  CONSUMER_GROUP,
  clearRefundMarks,
  encodeEvent,
  eventsChannel,
  execPipeline,
  type KeyLayout,
  pendingReceiptsKey,
  type RedisClient,
  refundMarksKey,
  streamKey,
} from '@dutch/stream';
import type { Delivered } from './delivered.ts';
import type { AuctionSettlement } from './settle-auction.ts';

/**
 * After the commit, and only then: acknowledge the entries, drop the pending receipts and the
 * refund marks Postgres now answers for, and tell the gateways the new stock. A failure here loses
 * nothing: unacknowledged entries come back and are recognised as settled.
 */
export async function afterCommit(
  redis: RedisClient,
  layout: KeyLayout,
  shard: number,
  entries: readonly Delivered[],
  settlement: AuctionSettlement,
): Promise<void> {
  // Every refund here is decided (duplicates were decided earlier). Marks go before the entries
  // are acknowledged: a crash in between redelivers a duplicate, never leaves a mark unowned. A
  // mark naming another request belongs to one still queued, and stays.
  const refunds = entries.flatMap((e) => (e.message.kind === 'refund' ? [e.message] : []));
  await clearRefundMarks(redis, refundMarksKey(layout, shard), refunds);
  const key = streamKey(layout, shard);
  const pipeline = redis.pipeline();
  pipeline.xack(key, CONSUMER_GROUP, ...entries.map((e) => e.streamId));
  const bids = entries.filter((e) => e.message.kind === 'bid').map((e) => e.message);
  if (bids.length > 0) {
    pipeline.hdel(pendingReceiptsKey(layout, shard), ...bids.map((bid) => bid.receiptId));
  }
  await execPipeline(pipeline);
  if (settlement.stockChanged) {
    const soldCount = settlement.initialStock - settlement.stock;
    await redis.publish(
      eventsChannel(layout),
      encodeEvent({ type: 'stock', auctionId: settlement.auctionId, stock: settlement.stock, soldCount }),
    );
  }
}
