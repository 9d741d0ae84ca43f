import type { Sql } from '@dutch/db';
import {
  CONSUMER_GROUP,
  connectBlockingRedis,
  decodeMessage,
  encodeEvent,
  encodeMessage,
  eventsChannel,
  isNoGroupError,
  type KeyLayout,
  type RedisClient,
  type RedisTarget,
  streamKey,
} from '@dutch/stream';
import type { Logger } from 'pino';
import { afterCommit } from './after-commit.ts';
import type { ConsumerConfig } from './config.ts';
import { deadLetter } from './dead-letter.ts';
import { type Delivered, groupByAuction } from './delivered.ts';
import { FencedOutError, isTransientError } from './errors.ts';
import type { ConsumerMetrics } from './metrics.ts';
import { failStranded, findStranded } from './reconcile-pending.ts';
import { type PublishCredit, settleAuction } from './settle-auction.ts';
import type { ShardLocks } from './shard-locks.ts';
import {
  claimEntries,
  claimPending,
  ensureGroup,
  forgetIdleConsumers,
  groupInfo,
  idlePending,
  pendingSummary,
  type RawEntry,
  readNew,
  readOwnPending,
  trimBefore,
} from './stream-io.ts';

export interface WorkerContext {
  readonly config: ConsumerConfig;
  readonly layout: KeyLayout;
  readonly redisTarget: RedisTarget;
  readonly sql: Sql;
  readonly redis: RedisClient;
  readonly locks: ShardLocks;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly metrics: ConsumerMetrics;
}

class StoppedError extends Error {}

const TRIM_EVERY_MS = 5_000;
/** A pending receipt this many CLAIM_IDLE_MS old, with no entry left to settle it, is failed. */
const STRANDED_AFTER_CLAIMS = 4;
/** Consumer names of processes long gone (every restart may bring a new name) are dropped after this. */
const IDLE_CONSUMER_MS = 60 * 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Settles one shard's stream while this consumer owns the shard. Entries are settled in
 * stream order: batch after batch, and after a takeover every entry still pending anywhere
 * in the group is claimed and settled before anything new is read.
 */
export class ShardWorker {
  readonly key: string;
  private stopRequested = false;
  private recover = true;
  private nextSweepAt = 0;
  private nextTrimAt = 0;
  private nextReconcileAt = 0;
  private reader: RedisClient | null = null;
  /** The next batch, read while the current one settles (only when there is a backlog). */
  private ahead: { readonly entries: Promise<RawEntry[]>; readonly drops: number } | null = null;
  /**
   * Times the reader's connection closed. A read in flight when it closes may have been carried
   * out by Redis (its entries now pending with us) with the reply lost; ioredis then sends the
   * read again, which returns newer entries. Those must not be settled before the lost ones.
   */
  private readerDrops = 0;
  private readonly log: Logger;
  /** Tells every gateway of points gained, before the commit (see settleAuction). */
  private readonly publishCredit: PublishCredit;

  constructor(
    private readonly ctx: WorkerContext,
    readonly shard: number,
  ) {
    this.key = streamKey(ctx.layout, shard);
    this.log = ctx.logger.child({ shard });
    const channel = eventsChannel(ctx.layout);
    this.publishCredit = async (event) => {
      await ctx.redis.publish(channel, encodeEvent(event));
    };
  }

  stop(): void {
    this.stopRequested = true;
  }

  /** Runs until stop() or until the shard is no longer ours. */
  async run(): Promise<void> {
    const { config, redisTarget } = this.ctx;
    this.reader = connectBlockingRedis(redisTarget, config.blockMs, `${config.consumerName}:shard-${this.shard}`);
    this.reader.on('close', () => {
      this.readerDrops++;
    });
    // ioredis reconnects on its own; without a listener each drop would print "Unhandled error event".
    this.reader.on('error', (error: Error) => this.log.debug({ err: error }, 'stream reader connection error'));
    let delay = 100;
    try {
      while (!this.stopRequested && this.ctx.locks.fence(this.shard) !== null) {
        try {
          await this.step(config.blockMs);
          delay = 100;
        } catch (error) {
          if (error instanceof FencedOutError || error instanceof StoppedError) break;
          this.recover = true;
          await this.takeAhead();
          if (isNoGroupError(error)) {
            this.log.warn('consumer group missing (Redis restarted?); creating it again');
            await ensureGroup(this.ctx.redis, this.key).catch(() => {});
            continue;
          }
          this.ctx.metrics.transientErrors.inc();
          this.log.warn({ err: error, retryInMs: delay }, 'shard step failed; retrying');
          await sleep(delay);
          delay = Math.min(delay * 2, 5_000);
        }
      }
      // Finish what was read ahead before giving the shard back (graceful stop).
      if (this.stopRequested && this.ctx.locks.fence(this.shard) !== null) {
        await this.process(await this.takeAhead()).catch((error: unknown) =>
          this.log.warn({ err: error }, 'could not settle the last batch read; it stays pending for the next owner'),
        );
      }
    } finally {
      await this.takeAhead();
      this.reader.disconnect();
      this.reader = null;
    }
  }

  /** Settles everything available right now without waiting; returns the entries handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await this.step(0);
      total += handled;
      if (handled === 0) return total;
    }
  }

  private async step(blockMs: number): Promise<number> {
    let handled = 0;
    if (this.recover) {
      // Entries read ahead are pending with us: recovery reads them again, in order.
      await this.takeAhead();
      handled += await this.recoverPending();
      this.recover = false;
    } else if (await this.othersHoldPending()) {
      await this.takeAhead();
      this.recover = true;
      return handled;
    }
    handled += await this.sweepIdle();
    await this.reconcile();
    await this.maybeTrim();
    const { batchSize, consumerName } = this.ctx.config;
    const drops = this.readerDrops;
    let entries = await this.takeAhead();
    if (entries.length === 0 && !this.recover) {
      this.assertOwned();
      entries = await readNew(this.reader ?? this.ctx.redis, this.key, consumerName, batchSize, blockMs);
    }
    if (this.recover || this.readerDrops !== drops) {
      // The reader's connection dropped during a read (Redis restarted, say): a batch delivered
      // to us may never have arrived. Settle every entry pending with us first, in stream order;
      // these ones are among them.
      this.log.warn('reader reconnected during a read; settling our pending entries first');
      this.recover = true;
      return handled;
    }
    if (entries.length === batchSize) {
      // A full batch means a backlog: fetch the next one while this one settles. It is
      // settled only after this one, so stream order holds.
      this.assertOwned();
      this.ahead = {
        entries: readNew(this.reader ?? this.ctx.redis, this.key, consumerName, batchSize, 0),
        drops: this.readerDrops,
      };
    }
    handled += await this.process(entries);
    return handled;
  }

  /** The batch read ahead; none (and recovery due) if the reader's connection dropped since it was asked for. */
  private async takeAhead(): Promise<RawEntry[]> {
    const ahead = this.ahead;
    this.ahead = null;
    if (ahead === null) return [];
    const entries = await ahead.entries.catch(() => []);
    if (ahead.drops !== this.readerDrops) {
      this.recover = true;
      return [];
    }
    return entries;
  }

  /**
   * Takes over every entry still pending in the group (a previous owner's unfinished work;
   * the shard lock proves that owner is gone) and settles all of our pending entries in id
   * order before anything new is read.
   */
  private async recoverPending(): Promise<number> {
    const { redis, config } = this.ctx;
    await ensureGroup(redis, this.key);
    this.assertOwned();
    const claimed = await claimPending(redis, this.key, config.consumerName, 0);
    if (claimed > 0) this.log.info({ claimed }, 'took over pending entries');
    let handled = 0;
    let after = '0-0';
    for (;;) {
      const entries = await readOwnPending(redis, this.key, config.consumerName, config.batchSize, after);
      const last = entries.at(-1);
      if (last === undefined) return handled;
      handled += await this.process(entries);
      after = last.id;
    }
  }

  /**
   * Before anything that takes entries into our name. A consumer that froze and woke after
   * its shard was taken over must not take newer entries than the new owner has settled:
   * its lease lapses locally (ShardLocks), so this check is true at once after waking.
   */
  private assertOwned(): void {
    if (this.ctx.locks.fence(this.shard) === null) throw new FencedOutError(this.shard);
  }

  private async othersHoldPending(): Promise<boolean> {
    const summary = await pendingSummary(this.ctx.redis, this.key);
    for (const [name, count] of summary.byConsumer) {
      if (name !== this.ctx.config.consumerName && count > 0) return true;
    }
    return false;
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
    this.assertOwned();
    for (const pending of exhausted) {
      const [entry] = await claimEntries(redis, this.key, config.consumerName, [pending.id]);
      await this.giveUp(entry ?? { id: pending.id, fields: null }, pending.deliveries);
    }
    const entries = await claimEntries(
      redis,
      this.key,
      config.consumerName,
      retry.map((p) => p.id),
    );
    // One at a time: these failed before, and must not take good entries down with them.
    for (const entry of entries) await this.process([entry]);
    return exhausted.length + entries.length;
  }

  /**
   * Every claimIdleMs: receipts pending for several times that long whose entry is gone from
   * the stream would stay PENDING forever; fail them. Costs one read of the pending hash when
   * nothing is that old.
   */
  private async reconcile(): Promise<void> {
    const { redis, layout, config, clock, locks } = this.ctx;
    const now = clock();
    if (now < this.nextReconcileAt) return;
    this.nextReconcileAt = now + config.claimIdleMs;
    const stranded = await findStranded(redis, layout, this.shard, now - STRANDED_AFTER_CLAIMS * config.claimIdleMs);
    for (const pending of stranded ?? []) {
      const fence = locks.fence(this.shard);
      if (fence === null) throw new FencedOutError(this.shard);
      await failStranded(this.ctx, this.shard, pending, fence, clock());
      this.ctx.metrics.deadLettered.inc();
    }
  }

  private async maybeTrim(): Promise<void> {
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

  private async process(entries: readonly RawEntry[]): Promise<number> {
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

  private async settleRun(run: readonly Delivered[]): Promise<void> {
    const groups = [...groupByAuction(run)];
    await forEachConcurrently(groups, this.ctx.config.pgPoolSize, ([auctionId, group]) =>
      this.settleGroup(auctionId, group),
    );
  }

  /** Dead-letters an entry now, under our fence; `attempts`: how many times it was tried. */
  private async giveUp(entry: RawEntry, attempts: number): Promise<void> {
    const fence = this.ctx.locks.fence(this.shard);
    if (fence === null) throw new FencedOutError(this.shard);
    await deadLetter(this.ctx, this.shard, entry, attempts, fence, this.ctx.clock());
    this.ctx.metrics.deadLettered.inc();
  }

  /**
   * Settles one auction's entries in one transaction. Infrastructure errors are retried with
   * the same entries (never re-read, so an outage never counts as a delivery); an error of
   * the entries themselves splits the group one by one, and an entry that fails alone is
   * retried in place, then dead-lettered in place: nothing behind it settles before it.
   */
  private async settleGroup(auctionId: string, group: readonly Delivered[]): Promise<void> {
    const { sql, redis, layout, clock, metrics, locks, config } = this.ctx;
    let delay = 50;
    let attempts = 0;
    for (;;) {
      const fence = locks.fence(this.shard);
      if (fence === null) throw new FencedOutError(this.shard);
      const started = performance.now();
      try {
        const settled = await settleAuction(sql, auctionId, group, fence, clock(), this.publishCredit);
        metrics.transactionSeconds.observe((performance.now() - started) / 1000);
        if (!settled.found) {
          metrics.poison.inc(group.length);
          this.log.error(
            { auctionId, entries: group.length },
            'entries for an unknown auction; dead-lettered in place',
          );
          for (const entry of group) await this.giveUp(rawEntryOf(entry), 1);
          return;
        }
        try {
          await afterCommit(redis, layout, this.shard, group, settled);
        } catch (error) {
          this.recover = true;
          this.log.warn(
            { err: error, auctionId },
            'committed but not acknowledged; the entries will come back as duplicates',
          );
        }
        this.record(settled, clock());
        return;
      } catch (error) {
        if (error instanceof FencedOutError) throw error;
        if (isTransientError(error)) {
          if (this.stopRequested) throw new StoppedError();
          metrics.transientErrors.inc();
          this.log.warn({ err: error, auctionId, retryInMs: delay }, 'settlement failed on infrastructure; retrying');
          await sleep(delay);
          delay = Math.min(delay * 2, 2_000);
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
        if (attempts >= config.maxDeliveries) {
          this.log.error(
            { err: error, auctionId, streamId: entry.streamId, attempts },
            'entry rejected; dead-lettered',
          );
          await this.giveUp(rawEntryOf(entry), attempts);
          return;
        }
        this.log.warn(
          { err: error, auctionId, streamId: entry.streamId, retryInMs: delay },
          'entry rejected; retrying',
        );
        await sleep(delay);
        delay = Math.min(delay * 2, 2_000);
      }
    }
  }

  private record(settled: Awaited<ReturnType<typeof settleAuction>>, now: number): void {
    const { metrics } = this.ctx;
    for (const outcome of settled.bidOutcomes) {
      metrics.settled.inc({ kind: 'bid', outcome: outcome.status === 'FAILED' ? outcome.reason : outcome.status });
    }
    for (const outcome of settled.refundOutcomes) {
      metrics.settled.inc({
        kind: 'refund',
        outcome: outcome.result === 'IGNORED' ? `IGNORED_${outcome.why}` : outcome.result,
      });
    }
    for (const acceptedAt of settled.acceptedAt) metrics.settleLatency.observe(Math.max(0, now - acceptedAt) / 1000);
    if (settled.duplicates > 0) metrics.duplicates.inc(settled.duplicates);
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
