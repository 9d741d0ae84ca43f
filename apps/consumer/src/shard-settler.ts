import { calculateDelay, isRetryableError, sleep } from '@dutch/runtime';
import { CONSUMER_GROUP, decodeMessage, encodeEvent, encodeMessage, eventsChannel, streamKey } from '@dutch/stream';
import type { Logger } from 'pino';
import { afterCommit } from './after-commit.ts';
import { deadLetter } from './dead-letter.ts';
import { type Delivered, groupByAuction } from './delivered.ts';
import { FencedOutError } from './fenced-out-error.ts';
import { type AuctionSettlement, type PublishCredit, settleAuction } from './settle-auction.ts';
import type { Fence } from './shard-locks.ts';
import type { RawEntry } from './stream-io.ts';
import { requireFence, type WorkerContext } from './worker-context.ts';

/** Thrown instead of waiting out an outage once the worker is asked to stop: the entries stay pending for the next owner. */
export class StoppedError extends Error {}

/** Pauses between tries of one auction's entries, for an outage and a rejection alike. */
const SETTLE_BACKOFF = { baseMs: 50, maxMs: 2_000 } as const;

/** What the settler needs to know of, and tell, the worker it settles for. */
export interface SettlerHooks {
  /** The worker was asked to stop: an outage is not waited out. */
  readonly stopping: () => boolean;
  /** Entries committed but not acknowledged: the reader must settle what is pending with us first. */
  readonly requestRecovery: (why: string) => void;
}

/**
 * Settles batches of one shard's entries in stream order: one transaction per auction, auctions
 * concurrently, an entry that cannot be settled retried in place and then dead-lettered in place.
 */
export class ShardSettler {
  private readonly key: string;
  /** Tells every gateway of points gained, before the commit (see settleAuction). */
  private readonly publishCredit: PublishCredit;

  constructor(
    private readonly ctx: WorkerContext,
    private readonly shard: number,
    private readonly log: Logger,
    private readonly hooks: SettlerHooks,
  ) {
    this.key = streamKey(ctx.layout, shard);
    const channel = eventsChannel(ctx.layout);
    this.publishCredit = async (event) => {
      await ctx.redis.publish(channel, encodeEvent(event));
    };
  }

  /** Settles a batch in stream order; returns the entries handled. */
  async process(entries: readonly RawEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    this.ctx.metrics.batchSize.observe(entries.length);
    const vanished: string[] = [];
    let run: Delivered[] = [];
    for (const entry of entries) {
      if (entry.fields === null) {
        // Deleted while pending: its receipt id went with it. The reconciler fails that receipt.
        vanished.push(entry.id);
        continue;
      }
      const result = decodeMessage(entry.fields);
      if (result.ok) {
        run.push({ streamId: entry.id, message: result.message, fields: entry.fields });
        continue;
      }
      // Given up on in place, after what came before it and before what follows: retrying a
      // decode cannot help, and its receipt keeps its place in stream order.
      await this.settleRun(run);
      run = [];
      this.ctx.metrics.poison.inc();
      this.log.error({ streamId: entry.id, error: result.error }, 'undecodable entry; dead-lettered in place');
      await this.giveUp(entry, 1);
    }
    await this.settleRun(run);
    if (vanished.length > 0) await this.ctx.redis.xack(this.key, CONSUMER_GROUP, ...vanished);
    return entries.length;
  }

  /** Dead-letters an entry now, under our fence; `attempts`: how many times it was tried. */
  async giveUp(entry: RawEntry, attempts: number): Promise<void> {
    const fence = requireFence(this.ctx, this.shard);
    await deadLetter(this.ctx, this.shard, entry, attempts, fence, this.ctx.clock());
    this.ctx.metrics.deadLettered.inc();
  }

  private async settleRun(run: readonly Delivered[]): Promise<void> {
    const groups = [...groupByAuction(run)];
    await forEachConcurrently(groups, this.ctx.config.pgPoolSize, ([auctionId, group]) =>
      this.settleGroup(auctionId, group),
    );
  }

  /**
   * Settles one auction's entries in one transaction. Infrastructure errors are retried with
   * the same entries (never re-read, so an outage never counts as a delivery); an error of
   * the entries themselves splits the group one by one, and an entry that fails alone is
   * retried in place, then dead-lettered in place: nothing behind it settles before it.
   */
  private async settleGroup(auctionId: string, group: readonly Delivered[]): Promise<void> {
    const { metrics, config } = this.ctx;
    let pauses = 0;
    let attempts = 0;
    for (;;) {
      const fence = requireFence(this.ctx, this.shard);
      try {
        await this.settleOnce(auctionId, group, fence);
        return;
      } catch (error) {
        if (error instanceof FencedOutError) throw error;
        if (isRetryableError(error)) {
          if (this.hooks.stopping()) throw new StoppedError();
          metrics.transientErrors.inc();
          const retryInMs = calculateDelay(pauses++, SETTLE_BACKOFF);
          this.log.warn({ err: error, auctionId, retryInMs }, 'settlement failed on infrastructure; retrying');
          await sleep(retryInMs);
          continue;
        }
        if (group.length > 1) {
          this.log.warn({ err: error, auctionId }, 'settlement rejected a batch; settling its entries one by one');
          for (const entry of group) await this.settleGroup(auctionId, [entry]);
          return;
        }
        const entry = group[0] as Delivered;
        attempts++;
        metrics.poison.inc();
        const log = { err: error, auctionId, streamId: entry.streamId };
        if (attempts >= config.maxDeliveries) {
          this.log.error({ ...log, attempts }, 'entry rejected; dead-lettered');
          await this.giveUp(rawEntryOf(entry), attempts);
          return;
        }
        const retryInMs = calculateDelay(pauses++, SETTLE_BACKOFF);
        this.log.warn({ ...log, retryInMs }, 'entry rejected; retrying');
        await sleep(retryInMs);
      }
    }
  }

  /** One transaction for the group, then what follows a commit; throws what settleGroup sorts out. */
  private async settleOnce(auctionId: string, group: readonly Delivered[], fence: Fence): Promise<void> {
    const { sql, redis, layout, clock, metrics } = this.ctx;
    const started = performance.now();
    const settled = await settleAuction(sql, auctionId, group, fence, clock(), this.publishCredit);
    metrics.transactionSeconds.observe((performance.now() - started) / 1000);
    if (!settled.found) {
      metrics.poison.inc(group.length);
      this.log.error({ auctionId, entries: group.length }, 'entries for an unknown auction; dead-lettered in place');
      for (const entry of group) await this.giveUp(rawEntryOf(entry), 1);
      return;
    }
    try {
      await afterCommit(redis, layout, this.shard, group, settled, clock());
    } catch (error) {
      this.hooks.requestRecovery('entries committed but not acknowledged');
      this.log.warn(
        { err: error, auctionId },
        'committed but not acknowledged; the entries will come back as duplicates',
      );
    }
    this.record(settled, clock());
  }

  private record(settled: AuctionSettlement, now: number): void {
    const { metrics } = this.ctx;
    for (const outcome of settled.bidOutcomes) {
      metrics.settled.inc({ kind: 'bid', outcome: outcome.status === 'FAILED' ? outcome.reason : outcome.status });
    }
    for (const outcome of settled.englishOutcomes) {
      const label = outcome.status === 'FAILED' ? outcome.reason : outcome.status;
      metrics.settled.inc({ kind: 'english_bid', outcome: label });
    }
    for (const outcome of settled.closeOutcomes) metrics.settled.inc({ kind: 'close', outcome });
    for (const outcome of settled.refundOutcomes) {
      metrics.settled.inc({
        kind: 'refund',
        outcome: outcome.result === 'IGNORED' ? `IGNORED_${outcome.why}` : outcome.result,
      });
    }
    for (const acceptedAt of settled.acceptedAt) metrics.settleLatency.observe(Math.max(0, now - acceptedAt) / 1000);
    if (settled.duplicates > 0) metrics.duplicates.inc(settled.duplicates);
    if (settled.notificationsStored > 0)
      metrics.notificationsStored.inc({ source: 'settlement' }, settled.notificationsStored);
  }
}

async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && failure === null) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failure ??= error;
      }
    }
  });
  await Promise.all(lanes);
  if (failure !== null) throw failure;
}

/** The entry as it arrived, for the dead-letter stream. */
function rawEntryOf(entry: Delivered): RawEntry {
  return { id: entry.streamId, fields: [...(entry.fields ?? encodeMessage(entry.message))] };
}
