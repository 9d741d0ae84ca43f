import { consumersKey, type KeyLayout, type RedisClient } from '@dutch/stream';

/** A heartbeat older than this is someone long gone: its entry is removed from the hash. */
const FORGET_AFTER_MS = 60_000;

/**
 * Records that `name` is alive at `now` and counts the live consumers, from their heartbeats;
 * a consumer silent for a few rebalance rounds is gone.
 */
export async function beatHeart(
  redis: RedisClient,
  layout: KeyLayout,
  name: string,
  rebalanceMs: number,
  now: number,
): Promise<number> {
  const key = consumersKey(layout);
  await redis.hset(key, name, String(now));
  const all = await redis.hgetall(key);
  const window = Math.max(3 * rebalanceMs, 3_000);
  const stale = Object.entries(all)
    .filter(([, at]) => Number(at) < now - FORGET_AFTER_MS)
    .map(([consumer]) => consumer);
  if (stale.length > 0) await redis.hdel(key, ...stale);
  return Object.values(all).filter((at) => Number(at) >= now - window).length;
}

/** Leaves the count at once on a clean stop, so the others rebalance without waiting for the window. */
export async function stopBeating(redis: RedisClient, layout: KeyLayout, name: string): Promise<void> {
  await redis.hdel(consumersKey(layout), name);
}
