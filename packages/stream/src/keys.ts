/**
 * Every Redis key the engine uses. Keys of one shard share the hash tag `{<shard>}`, so a
 * Redis Cluster keeps a shard's stream, pending receipts and idempotency records in one slot
 * and a script may touch them together.
 */
export interface KeyLayout {
  /** Namespace for every key and channel, e.g. "dutch:"; tests use a random one. */
  readonly prefix: string;
  readonly shards: number;
}

export const CONSUMER_GROUP = 'settlers';

const shardTag = (layout: KeyLayout, shard: number) => `${layout.prefix}bids:{${shard}}`;

export function streamKey(layout: KeyLayout, shard: number): string {
  return shardTag(layout, shard);
}

export function deadLetterKey(layout: KeyLayout, shard: number): string {
  return `${shardTag(layout, shard)}:dead`;
}

/**
 * Receipts between their 202 and their settlement, one hash per shard (field: receipt id,
 * value: the pending receipt): the only place a receipt exists before Postgres. A field in a
 * hash costs Redis less than a key of its own with an expiry, on the hottest path there is.
 */
export function pendingReceiptsKey(layout: KeyLayout, shard: number): string {
  return `${shardTag(layout, shard)}:pending-receipts`;
}

/**
 * Refunds queued and not yet decided, one hash per shard (field: receipt id, value: the refund's
 * request id). Postgres keeps the decided state only; a receipt it says is PURCHASED reads
 * REFUND_PENDING while its mark is here. The mark is written in the same script as the stream
 * entry, so a receipt is never REFUND_PENDING with nothing queued to decide it.
 */
export function refundMarksKey(layout: KeyLayout, shard: number): string {
  return `${shardTag(layout, shard)}:refund-marks`;
}

/**
 * The close last appended for an auction, "<closeFor>:<appendedAt>" (epoch ms): the bid script
 * refuses a bid stamped before closeFor once it is set (the close entry is already in the
 * stream ahead of it), and the closer does not append the same close again too soon. In the
 * stream's slot, so both scripts read it atomically with their XADD.
 */
export function closingKey(layout: KeyLayout, shard: number, auctionId: string): string {
  return `${shardTag(layout, shard)}:closing:${auctionId}`;
}

/** The response to replay for a buyer's Idempotency-Key on one auction's shard. */
export function idempotencyReplayKey(layout: KeyLayout, shard: number, buyerId: string, key: string): string {
  return `${shardTag(layout, shard)}:idem:${buyerId}:${key}`;
}

/**
 * Which request a buyer's Idempotency-Key belongs to, across all shards: a key reused for
 * another auction (maybe on another shard) must be refused, not treated as new.
 */
export function idempotencyClaimKey(layout: KeyLayout, buyerId: string, key: string): string {
  return `${layout.prefix}idem:{${buyerId}}:${key}`;
}

/** Live consumers announce themselves here (field: name, value: last heartbeat, epoch ms). */
export function consumersKey(layout: KeyLayout): string {
  return `${layout.prefix}consumers`;
}

/** Pub/Sub channel for auction changes: stock after settlement, definition edits. */
export function eventsChannel(layout: KeyLayout): string {
  return `${layout.prefix}events`;
}

export function allStreamKeys(layout: KeyLayout): string[] {
  return Array.from({ length: layout.shards }, (_, shard) => streamKey(layout, shard));
}
