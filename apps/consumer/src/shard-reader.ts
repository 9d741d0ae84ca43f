import { connectBlockingRedis, type RedisClient } from '@dutch/stream';
import type { Logger } from 'pino';
import { claimPending, ensureGroup, pendingSummary, type RawEntry, readNew, readOwnPending } from './stream-io.ts';
import { requireFence, type WorkerContext } from './worker-context.ts';
import { createReadStates, type ReadState, type StateMachine } from './worker-states.ts';

/**
 * Takes one shard's entries into our name, in stream order. Its state says what the next step
 * reads: `recovering` (everything pending in the group, in id order) or `reading` (new entries,
 * with the next batch read ahead while one settles when there is a backlog).
 */
export class ShardReader {
  private readonly states: StateMachine<ReadState>;
  /** Reads that block have a connection of their own (run()); drain() reads on the shared one. */
  private connection: RedisClient | null = null;
  /** The next batch, read while the current one settles (only when there is a backlog). */
  private ahead: { readonly entries: Promise<RawEntry[]>; readonly drops: number } | null = null;
  /**
   * Times the reading connection closed. A read in flight when it closes may have been carried
   * out by Redis (its entries now pending with us) with the reply lost; ioredis then sends the
   * read again, which returns newer entries. Those must not be settled before the lost ones.
   */
  private drops = 0;

  constructor(
    private readonly ctx: WorkerContext,
    private readonly shard: number,
    private readonly key: string,
    private readonly log: Logger,
  ) {
    this.states = createReadStates((from, to, why) => log.debug({ from, to, why }, 'shard reader state'));
  }

  get recovering(): boolean {
    return this.states.is('recovering');
  }

  /** The next step settles every entry pending in the group before anything new is read. */
  recover(why: string): void {
    this.states.moveTo('recovering', why);
  }

  /** Every entry that was pending in the group is settled (or left for the sweep): read new ones. */
  recovered(): void {
    this.states.moveTo('reading', 'everything pending in the group went through settlement');
  }

  open(): void {
    const { config, redisTarget } = this.ctx;
    this.connection = connectBlockingRedis(redisTarget, config.blockMs, `${config.consumerName}:shard-${this.shard}`);
    this.connection.on('close', () => {
      this.drops++;
    });
    // ioredis reconnects on its own; without a listener each drop would print "Unhandled error event".
    this.connection.on('error', (error: Error) => this.log.debug({ err: error }, 'stream reader connection error'));
  }

  async close(): Promise<void> {
    await this.takeAhead();
    this.connection?.disconnect();
    this.connection = null;
  }

  /** The batch read ahead; none (and recovery due) if the connection dropped since it was asked for. */
  async takeAhead(): Promise<RawEntry[]> {
    const ahead = this.ahead;
    this.ahead = null;
    if (ahead === null) return [];
    const entries = await ahead.entries.catch(() => []);
    if (ahead.drops !== this.drops) {
      this.recover('the reader reconnected while a batch was read ahead');
      return [];
    }
    return entries;
  }

  async othersHoldPending(): Promise<boolean> {
    const summary = await pendingSummary(this.ctx.redis, this.key);
    for (const [name, count] of summary.byConsumer) {
      if (name !== this.ctx.config.consumerName && count > 0) return true;
    }
    return false;
  }

  /** Takes over every entry pending with others (a previous owner's; the shard lock proves it gone). */
  async claimAllPending(): Promise<number> {
    const { redis, config } = this.ctx;
    await ensureGroup(redis, this.key);
    requireFence(this.ctx, this.shard);
    return claimPending(redis, this.key, config.consumerName, 0);
  }

  /** Our own pending entries after `afterId`, oldest first. */
  readOwnPending(afterId: string): Promise<RawEntry[]> {
    const { redis, config } = this.ctx;
    return readOwnPending(redis, this.key, config.consumerName, config.batchSize, afterId);
  }

  /** The next batch of new entries, or null when recovery is due first (nothing is settled then). */
  async readBatch(blockMs: number): Promise<RawEntry[] | null> {
    const { batchSize, consumerName } = this.ctx.config;
    const drops = this.drops;
    let entries = await this.takeAhead();
    if (entries.length === 0 && this.states.is('reading')) {
      requireFence(this.ctx, this.shard);
      entries = await readNew(this.connection ?? this.ctx.redis, this.key, consumerName, batchSize, blockMs);
    }
    if (this.states.is('recovering') || this.drops !== drops) {
      // The reader's connection dropped during a read (Redis restarted, say): a batch delivered
      // to us may never have arrived. Settle every entry pending with us first, in stream order;
      // these ones are among them.
      this.log.warn('reader reconnected during a read; settling our pending entries first');
      this.recover('the reader reconnected during a read');
      return null;
    }
    if (entries.length === batchSize) this.readAhead();
    return entries;
  }

  /**
   * A full batch means a backlog: fetch the next one while this one settles. It is settled
   * only after this one (takeAhead), so stream order holds.
   */
  private readAhead(): void {
    const { batchSize, consumerName } = this.ctx.config;
    requireFence(this.ctx, this.shard);
    this.ahead = {
      entries: readNew(this.connection ?? this.ctx.redis, this.key, consumerName, batchSize, 0),
      drops: this.drops,
    };
  }
}
