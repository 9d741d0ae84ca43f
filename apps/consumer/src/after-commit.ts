import {
  type AuctionEvent,
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
import { appendDueClose } from './append-due-close.ts';
import type { Delivered } from './delivered.ts';
import { publishNotify } from './publish-notify.ts';
import type { AuctionSettlement } from './settle-auction.ts';

/**
 * After the commit, and only then: acknowledge the entries, drop the pending receipts and the
 * refund marks Postgres now answers for, tell the gateways the new stock, lead or close and
 * which members have new notifications, and queue the close of an auction that just sold out.
 * A failure here loses nothing: unacknowledged entries come back and are recognised as settled,
 * the closer appends any close that is due, and the notifications are in Postgres already (a
 * member's SSE reads them from the inbox on its next nudge or reconnect).
 */
export async function afterCommit(
  redis: RedisClient,
  layout: KeyLayout,
  shard: number,
  entries: readonly Delivered[],
  settlement: AuctionSettlement,
  now: number,
): Promise<void> {
  // Every refund here is decided (duplicates were decided earlier). Marks go before the entries
  // are acknowledged: a crash in between redelivers a duplicate, never leaves a mark unowned. A
  // mark naming another request belongs to one still queued, and stays.
  const refunds = entries.flatMap((e) => (e.message.kind === 'refund' ? [e.message] : []));
  await clearRefundMarks(redis, refundMarksKey(layout, shard), refunds);
  const pipeline = redis.pipeline();
  pipeline.xack(streamKey(layout, shard), CONSUMER_GROUP, ...entries.map((e) => e.streamId));
  const bids = entries.flatMap(({ message }) =>
    message.kind === 'bid' || message.kind === 'english_bid' ? [message.receiptId] : [],
  );
  if (bids.length > 0) pipeline.hdel(pendingReceiptsKey(layout, shard), ...bids);
  await execPipeline(pipeline);
  await publishEvents(redis, layout, eventsOf(settlement));
  await publishNotify(redis, layout, settlement.notified);
  if (settlement.soldOutFor !== null) {
    const close = { auctionId: settlement.auctionId, closeFor: settlement.soldOutFor, now };
    await appendDueClose(redis, layout, shard, close);
  }
}

/** What the gateways' caches and live feeds learn from a commit, in the order it happened. */
function eventsOf(settlement: AuctionSettlement): AuctionEvent[] {
  const events: AuctionEvent[] = [];
  if (settlement.stockChanged) {
    const { auctionId, stock, initialStock } = settlement;
    events.push({ type: 'stock', auctionId, stock, soldCount: initialStock - stock });
  }
  if (settlement.lead !== null) events.push(settlement.lead);
  if (settlement.closed !== null) events.push(settlement.closed);
  return events;
}

async function publishEvents(redis: RedisClient, layout: KeyLayout, events: readonly AuctionEvent[]): Promise<void> {
  for (const event of events) await redis.publish(eventsChannel(layout), encodeEvent(event));
}
