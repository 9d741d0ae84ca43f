import { appendClose, closingKey, type KeyLayout, type RedisClient, streamKey } from '@dutch/stream';

/** The closing key only has to outlive the close's settlement (and a stalled gateway's bid). */
const CLOSING_TTL_MS = 24 * 60 * 60_000;

/**
 * An entry for the same end younger than this is not appended again. Older, it is: it may have
 * been lost (a Redis restart) or sit behind a stalled owner; a second one settles as a duplicate.
 */
export const REAPPEND_AFTER_MS = 30_000;

/**
 * Appends an auction's close for the end `closeFor` to its shard's stream, once per end (see
 * appendClose). A close at or after its end (`now >= closeFor`) guards: the bid script then
 * refuses bids stamped before that end, which would land behind the close. A sell-out close
 * (ahead of the end) guards nothing: bids after it settle FAILED SOLD_OUT. Whether it appended.
 */
export function appendDueClose(
  redis: RedisClient,
  layout: KeyLayout,
  shard: number,
  close: { readonly auctionId: string; readonly closeFor: number; readonly now: number },
): Promise<boolean> {
  const keys = { stream: streamKey(layout, shard), closing: closingKey(layout, shard, close.auctionId) };
  return appendClose(redis, keys, {
    ...close,
    reappendAfterMs: REAPPEND_AFTER_MS,
    ttlMs: CLOSING_TTL_MS,
    guardBids: close.now >= close.closeFor,
  });
}
