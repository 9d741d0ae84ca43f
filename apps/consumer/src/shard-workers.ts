import { forgetShardGauges } from './metrics.ts';
import { ShardWorker } from './shard-worker.ts';
import type { WorkerContext } from './worker-context.ts';

/** The running worker of each shard this consumer holds, and how each one ends. */
export class ShardWorkers {
  private readonly running = new Map<number, { readonly worker: ShardWorker; readonly done: Promise<void> }>();

  constructor(
    private readonly ctx: WorkerContext,
    /** The consumer is stopping: it gives every shard back itself. */
    private readonly stopping: () => boolean,
  ) {}

  has(shard: number): boolean {
    return this.running.has(shard);
  }

  start(shard: number): void {
    const { locks, logger, metrics } = this.ctx;
    const worker = new ShardWorker(this.ctx, shard);
    const done = worker
      .run()
      .catch((error: unknown) => logger.error({ err: error, shard }, 'shard worker crashed'))
      .finally(() => {
        if (this.running.get(shard)?.worker === worker) this.running.delete(shard);
        // Its gauges describe a stream this consumer no longer reads: the new owner reports it.
        forgetShardGauges(metrics, shard);
        if (!this.stopping() && locks.owned().has(shard)) {
          // The worker left while we still hold the lock (it lost a race or crashed): give the shard back.
          locks.release(shard).catch(() => {});
        }
      });
    this.running.set(shard, { worker, done });
  }

  /** Stops a shard's worker, waits for its batch in hand, and gives the shard back. */
  async handOver(shard: number): Promise<void> {
    const entry = this.running.get(shard);
    if (entry !== undefined) {
      entry.worker.stop();
      await entry.done;
    }
    await this.ctx.locks.release(shard);
  }

  /** Stops the workers of shards whose lock is gone, and waits until every one of them has left. */
  async stopLost(lost: readonly number[]): Promise<void> {
    for (const shard of lost) {
      this.ctx.logger.warn({ shard }, 'lost shard lock (database connection dropped or ended by a takeover)');
      this.running.get(shard)?.worker.stop();
    }
    await Promise.all(lost.map((shard) => this.running.get(shard)?.done));
  }

  async stopAll(): Promise<void> {
    for (const { worker } of this.running.values()) worker.stop();
    await Promise.all([...this.running.values()].map((entry) => entry.done));
  }
}
