import type { Logger } from 'pino';
import { appendDueClose } from './append-due-close.ts';
import { CLOSER_EVERY_MS } from './due-closes.ts';
import { failStranded, findStranded } from './reconcile-pending.ts';
import type { ShardSettler } from './shard-settler.ts';
import { claimEntries, forgetIdleConsumers, groupInfo, idlePending, pendingSummary, trimBefore } from './stream-io.ts';
import { requireFence, type WorkerContext } from './worker-context.ts';

const TRIM_EVERY_MS = 5_000;
/** A pending receipt this many CLAIM_IDLE_MS old, with no entry left to settle it, is failed. */
const STRANDED_AFTER_CLAIMS = 4;
/** Consumer names of processes long gone (every restart may bring a new name) are dropped after this. */
const IDLE_CONSUMER_MS = 60 * 60_000;

/**
 * What a shard's owner does between batches, each on its own schedule: retry entries left
 * pending too long, fail receipts whose entry is gone, append the closes that are due, trim the
 * stream and report its gauges.
 */
export class ShardUpkeep {
  /** Real time (performance.now()): the closer's pace must not stop with a test's frozen clock. */
  private nextCloseLookAt = 0;
  private nextSweepAt = 0;
  private nextReconcileAt = 0;
  private nextTrimAt = 0;

  constructor(
    private readonly ctx: WorkerContext,
    private readonly shard: number,
    private readonly key: string,
    private readonly settler: ShardSettler,
    private readonly log: Logger,
  ) {}

  /**
   * Does whatever is due; returns the entries handled (closes appended count: they are read
   * next). `draining` (consumeOnce) looks for due closes every time: everything due right now.
   */
  async runDue(draining = false): Promise<number> {
    const handled = await this.sweepIdle();
    await this.reconcile();
    const appended = await this.appendDueCloses(draining);
    await this.trim();
    return handled + appended;
  }

  /**
   * The closer: appends a close for every auction of this shard whose close is due (a Dutch
   * sell-out at once, any other CLOSE_GRACE_MS after its current end), whether or not anyone
   * watches it, so a consumer that starts late closes what is overdue. Only a shard's owner
   * runs it; appendClose keeps one entry per end, and the settlement closes once whatever
   * entries arrive.
   */
  private async appendDueCloses(draining: boolean): Promise<number> {
    const { redis, layout, clock, dueCloses } = this.ctx;
    if (!draining && performance.now() < this.nextCloseLookAt) return 0;
    this.nextCloseLookAt = performance.now() + CLOSER_EVERY_MS;
    const now = clock();
    const due = await dueCloses.ofShard(this.shard, layout.shards, now, draining);
    if (due.length === 0) return 0;
    requireFence(this.ctx, this.shard);
    let appended = 0;
    for (const auction of due) {
      const close = { auctionId: auction.id, closeFor: auction.endsAt, now };
      if (await appendDueClose(redis, layout, this.shard, close)) appended++;
    }
    if (appended > 0) this.log.debug({ appended, due: due.length }, 'closes appended');
    return appended;
  }

  /**
   * Retries entries that stayed pending too long (left by a consumer that crashed on them, say:
   * an entry's own failures are retried and dead-lettered in place), and dead-letters those
   * delivered maxDeliveries times already.
   */
  private async sweepIdle(): Promise<number> {
    const { redis, config, clock } = this.ctx;
    const now = clock();
    if (now < this.nextSweepAt) return 0;
    this.nextSweepAt = now + Math.max(50, Math.floor(config.claimIdleMs / 2));
    const idle = await idlePending(redis, this.key, config.claimIdleMs, 1000);
    if (idle.length === 0) return 0;
    const exhausted = idle.filter((p) => p.deliveries >= config.maxDeliveries);
    const retry = idle.filter((p) => p.deliveries < config.maxDeliveries);
    requireFence(this.ctx, this.shard);
    for (const pending of exhausted) {
      const [entry] = await claimEntries(redis, this.key, config.consumerName, [pending.id]);
      await this.settler.giveUp(entry ?? { id: pending.id, fields: null }, pending.deliveries);
    }
    const entries = await claimEntries(
      redis,
      this.key,
      config.consumerName,
      retry.map((p) => p.id),
    );
    // One at a time: these failed before, and must not take good entries down with them.
    for (const entry of entries) await this.settler.process([entry]);
    return exhausted.length + entries.length;
  }

  /**
   * Every claimIdleMs: receipts pending for several times that long whose entry is gone from
   * the stream would stay PENDING forever; fail them. Costs one read of the pending hash when
   * nothing is that old.
   */
  private async reconcile(): Promise<void> {
    const { redis, layout, config, clock } = this.ctx;
    const now = clock();
    if (now < this.nextReconcileAt) return;
    this.nextReconcileAt = now + config.claimIdleMs;
    const stranded = await findStranded(redis, layout, this.shard, now - STRANDED_AFTER_CLAIMS * config.claimIdleMs);
    for (const pending of stranded ?? []) {
      const fence = requireFence(this.ctx, this.shard);
      await failStranded(this.ctx, this.shard, pending, fence, clock());
      this.ctx.metrics.deadLettered.inc();
    }
  }

  /** Entries below the oldest pending one are all settled: drop them, and say how far behind we are. */
  private async trim(): Promise<void> {
    const { redis, clock, metrics } = this.ctx;
    const now = clock();
    if (now < this.nextTrimAt) return;
    this.nextTrimAt = now + TRIM_EVERY_MS;
    const [summary, info] = await Promise.all([pendingSummary(redis, this.key), groupInfo(redis, this.key)]);
    if (info === null) return;
    metrics.pending.set({ shard: String(this.shard) }, summary.count);
    if (info.lag !== null) metrics.lag.set({ shard: String(this.shard) }, info.lag);
    const minId = summary.minId ?? info.lastDeliveredId;
    if (minId !== '0-0') await trimBefore(redis, this.key, minId);
    const gone = await forgetIdleConsumers(redis, this.key, this.ctx.config.consumerName, IDLE_CONSUMER_MS);
    if (gone.length > 0)
      this.log.info({ consumers: gone }, 'removed long-idle consumers with nothing pending from the group');
  }
}
