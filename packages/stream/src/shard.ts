/** 32-bit FNV-1a, unsigned: stable across processes, restarts and languages. */
export function hashFnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The shard an auction's bids go to: FNV-1a over its id. Changing the shard count moves
 * auctions between streams, so change it only when the streams are drained.
 */
export function shardOf(auctionId: string, shards: number): number {
  return hashFnv1a(auctionId) % shards;
}
