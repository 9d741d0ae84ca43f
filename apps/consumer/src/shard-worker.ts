import { calculateDelay, sleep } from '@dutch/runtime';
import { isNoGroupError, streamKey } from '@dutch/stream';
import type { Logger } from 'pino';
import { FencedOutError } from './fenced-out-error.ts';
import { ShardReader } from './shard-reader.ts';
import { ShardSettler, StoppedError } from './shard-settler.ts';
import { ShardUpkeep } from './shard-upkeep.ts';
import { ensureGroup } from './stream-io.ts';
import type { WorkerContext } from './worker-context.ts';
import { createWorkerStates, type StateMachine, type WorkerState } from './worker-states.ts';

export type { WorkerContext } from './worker-context.ts';

/** Pauses after a failed step (Redis or Postgres away); a step that succeeds starts over. */
const STEP_BACKOFF = { baseMs: 100, maxMs: 5_000 } as const;

/**
 * Settles one shard's stream while this consumer owns the shard. Entries are settled in
 * stream order: batch after batch, and after a takeover every entry still pending anywhere
 * in the group is claimed and settled before anything new is read. The reader takes entries
 * into our name, the settler settles them, the upkeep runs between batches; the worker's own
 * state (WORKER_STATES) says whether it may take more.
 */
export class ShardWorker {
  readonly key: string;
  private readonly states: StateMachine<WorkerState>;
  private readonly reader: ShardReader;
  private readonly settler: ShardSettler;
  private readonly upkeep: ShardUpkeep;
  private readonly log: Logger;

  constructor(
    private readonly ctx: WorkerContext,
    readonly shard: number,
  ) {
    this.key = streamKey(ctx.layout, shard);
    this.log = ctx.logger.child({ shard });
    this.states = createWorkerStates((from, to, why) => this.log.debug({ from, to, why }, 'shard worker state'));
    this.reader = new ShardReader(ctx, shard, this.key, this.log);
    this.settler = new ShardSettler(ctx, shard, this.log, {
      stopping: () => this.states.is('stopping'),
      requestRecovery: (why) => this.reader.recover(why),
    });
    this.upkeep = new ShardUpkeep(ctx, shard, this.key, this.settler, this.log);
  }

  /** Takes nothing new: run() finishes the batch in hand and what was read ahead, then returns. */
  stop(): void {
    if (this.states.is('created') || this.states.is('active'))
      this.states.moveTo('stopping', 'asked to stop (shutdown, rebalance, or the shard lock lost)');
  }

  /** Runs until stop() or until the shard is no longer ours. */
  async run(): Promise<void> {
    if (this.states.is('created')) this.states.moveTo('active', 'started on a shard we hold');
    this.reader.open();
    try {
      await this.settleWhileOwned();
      // Finish what was read ahead before giving the shard back (graceful stop).
      if (this.states.is('stopping') && this.ctx.locks.fence(this.shard) !== null) {
        await this.settler
          .process(await this.reader.takeAhead())
          .catch((error: unknown) =>
            this.log.warn({ err: error }, 'could not settle the last batch read; it stays pending for the next owner'),
          );
      }
    } finally {
      await this.reader.close();
      this.states.moveTo('stopped', 'the shard is given back or no longer ours');
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

  /** Steps until stopped or fenced out; a failed step is retried after a pause, from recovery. */
  private async settleWhileOwned(): Promise<void> {
    let failures = 0;
    while (this.states.is('active') && this.ctx.locks.fence(this.shard) !== null) {
      try {
        await this.step(this.ctx.config.blockMs);
        failures = 0;
      } catch (error) {
        if (error instanceof FencedOutError || error instanceof StoppedError) return;
        this.reader.recover('a step failed: what it took may still be pending with us');
        await this.reader.takeAhead();
        if (isNoGroupError(error)) {
          this.log.warn('consumer group missing (Redis restarted?); creating it again');
          await ensureGroup(this.ctx.redis, this.key).catch(() => {});
          continue;
        }
        this.ctx.metrics.transientErrors.inc();
        const retryInMs = calculateDelay(failures++, STEP_BACKOFF);
        this.log.warn({ err: error, retryInMs }, 'shard step failed; retrying');
        await sleep(retryInMs);
      }
    }
  }

  private async step(blockMs: number): Promise<number> {
    let handled = 0;
    if (this.reader.recovering) {
      handled += await this.recoverPending();
    } else if (await this.reader.othersHoldPending()) {
      await this.reader.takeAhead();
      this.reader.recover('entries are pending with another consumer: they settle before anything new');
      return handled;
    }
    handled += await this.upkeep.runDue(blockMs === 0);
    const entries = await this.reader.readBatch(blockMs);
    if (entries !== null) handled += await this.settler.process(entries);
    return handled;
  }

  /**
   * Takes over every entry still pending in the group (a previous owner's unfinished work;
   * the shard lock proves that owner is gone) and settles all of our pending entries in id
   * order before anything new is read.
   */
  private async recoverPending(): Promise<number> {
    // Entries read ahead are pending with us: recovery reads them again, in order.
    await this.reader.takeAhead();
    const claimed = await this.reader.claimAllPending();
    if (claimed > 0) this.log.info({ claimed }, 'took over pending entries');
    let handled = 0;
    let after = '0-0';
    for (;;) {
      const entries = await this.reader.readOwnPending(after);
      const last = entries.at(-1);
      if (last === undefined) break;
      handled += await this.settler.process(entries);
      after = last.id;
    }
    this.reader.recovered();
    return handled;
  }
}
