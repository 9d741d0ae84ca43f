/**
 * A token bucket per buyer, in process: cheap enough for the hot path. With several gateway
 * processes a buyer's effective rate is the per-process rate times their number (a client
 * keeps its keep-alive connection on one of them, so in practice it sees one bucket).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly clock: () => number,
    private readonly maxBuckets = 500_000,
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait before retrying. */
  take(key: string): number {
    if (this.perSecond === 0) return 0;
    const now = this.clock();
    const bucket = this.buckets.get(key);
    const tokens =
      bucket === undefined
        ? this.burst
        : Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    if (tokens < 1) {
      if (bucket) {
        bucket.tokens = tokens;
        bucket.at = now;
      }
      return Math.max(1, Math.ceil((1 - tokens) / this.perSecond));
    }
    if (bucket === undefined && this.buckets.size >= this.maxBuckets) this.evictFull(now);
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return 0;
  }

  /**
   * Returns the token take() gave for a request that turned out to be an Idempotency-Key
   * replay: a replay queues nothing, so it must not use up the buyer's allowance.
   */
  giveBack(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket !== undefined) bucket.tokens = Math.min(this.burst, bucket.tokens + 1);
  }

  /** Drops buckets that have refilled: they carry no information. */
  private evictFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key);
    }
  }
}
