import type { Logger } from 'pino';
import type { ShardLocks } from './shard-locks.ts';

/**
 * Keeps the shard locks' lease fresh: a query on the lock connection every `everyMs`, apart from
 * rebalancing, which can wait on workers. Held by start() until stop(), and by a consumeOnce()
 * while it drains; renewed while anyone holds it.
 */
export class ShardLease {
  private holders = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly locks: ShardLocks,
    private readonly everyMs: number,
    private readonly logger: Logger,
    private readonly stopping: () => boolean,
  ) {}

  /** Starts renewing if nobody did; returns the release, which stops renewing once nobody holds it. */
  hold(): () => void {
    if (this.holders++ === 0) this.schedule();
    return () => {
      if (--this.holders > 0 || this.timer === null) return;
      clearTimeout(this.timer);
      this.timer = null;
    };
  }

  private schedule(): void {
    // One timer at most, even when a renewal from a previous holder is still in flight.
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopping() || this.holders === 0) return;
    this.timer = setTimeout(() => {
      this.locks
        .renew()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not renew the shard lease; will retry'))
        .finally(() => this.schedule());
    }, this.everyMs);
  }
}
