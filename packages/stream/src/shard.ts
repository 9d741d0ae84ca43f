/**
 * The shard an auction's bids go to: FNV-1a over its id. Stable across processes, restarts
 * and languages. Changing the shard count moves auctions between streams, so change it only
 * when the streams are drained.
 */
export function shardOf(auctionId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < auctionId.length; i++) {
    hash ^= auctionId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}
