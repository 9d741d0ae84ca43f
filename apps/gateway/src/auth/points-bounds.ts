/** A read of a member's points in flight: credits published after it was issued count on top of it. */
export interface PointsLoad {
  readonly epoch: number;
  /** Position in the credit log when the read was issued. */
  readonly from: number;
}

/** Reads a member's free and held points from Postgres, a plain read (undefined: no such member). */
export type ReadBalance = (memberId: string) => Promise<{ points: number; heldPoints: number } | undefined>;

/**
 * Per member this process has seen, a bound of their points, so the bid path can refuse a bid
 * its buyer certainly cannot pay without reading Postgres. Points fall only by settlement (which
 * only loosens the bound) and rise only by credits, each published on the events channel before
 * its transaction commits. A bound is a plain read of the member's row (token-cache.ts, reload())
 * plus every credit published after the read was issued (one also in the read counts twice,
 * which only makes the bound higher: safe).
 *
 * A credit published before the read but committed after it began is in neither, so a bound can
 * be too low for a moment. That is why a refusal is never made on the bound alone: the caller
 * reloads first (reload()), a read issued after the bid arrived, which sees every credit
 * committed before then, so every charge answered 200 before the bid was sent, through any
 * gateway, whether or not its event has reached this one. A credit not yet committed at that
 * read had not been answered when the bid arrived: refusing the bid orders it before the credit,
 * as the buyer saw it. This costs one read per refusal and nothing on the path of a bid the bound
 * lets through, and the reads wait for no writer: neither a refusal's confirmation nor a token's
 * first read queues behind a settlement holding the member's row.
 *
 * Missed events would leave a bound too low for good, so while the subscription is down nothing
 * is known, and a loss forgets every bound and every read in flight.
 *
 * English bids may also spend what the buyer holds on that auction (a leader raising their own
 * bid needs only the difference free), so the held points read with the bound are kept too: a
 * hold committed after the read came out of points the bound still counts, one committed before
 * it is in the held points read, so bound + held read covers free points plus any one hold.
 */
export class PointsBounds {
  private readonly bounds = new Map<string, { points: number; held: number }>();
  private readonly inFlight = new Set<PointsLoad>();
  /** Credits seen while reads are in flight (their member is not known until the read returns). */
  private log: { memberId: string; amount: number }[] = [];
  private logStart = 0;
  private epoch = 0;

  constructor(
    /** Whether every published event reaches this process right now. */
    private readonly subscribed: () => boolean,
    /** Null where nothing can be read (tests of the bounds alone): reload() then confirms nothing. */
    private readonly readBalance: ReadBalance | null = null,
    private readonly maxEntries = 200_000,
  ) {}

  /**
   * Reads the member's points again, as a new load (credits published since it was issued count
   * on top). Never a read already in flight: one issued before a charge committed would not see
   * it. Callers of one event-loop turn may share a read sent after all of them asked (app.ts
   * batches them, auth/batch-reads.ts). Resolves false when nothing could be read, and then
   * nothing may be refused on the bound.
   */
  async reload(memberId: string): Promise<boolean> {
    if (this.readBalance === null) return false;
    const load = this.beginLoad();
    let balance: { points: number; heldPoints: number } | undefined;
    try {
      balance = await this.readBalance(memberId);
    } catch {
      return false;
    } finally {
      this.finishLoad(load, balance === undefined ? null : memberId, balance?.points ?? null, balance?.heldPoints ?? 0);
    }
    return balance !== undefined && this.boundOf(memberId) !== undefined;
  }

  /** Call right before the read is sent. */
  beginLoad(): PointsLoad {
    // Issued while events may be missed: its result must never be kept.
    const load = { epoch: this.subscribed() ? this.epoch : -1, from: this.logStart + this.log.length };
    this.inFlight.add(load);
    return load;
  }

  /** The read's answer (null: no such member, or the read failed), with the held points read with it. */
  finishLoad(load: PointsLoad, memberId: string | null, points: number | null, held = 0): void {
    this.inFlight.delete(load);
    if (memberId !== null && points !== null && load.epoch === this.epoch && this.subscribed()) {
      let bound = points;
      for (let i = load.from - this.logStart; i < this.log.length; i++) {
        const credit = this.log[i];
        if (credit?.memberId === memberId) bound += credit.amount;
      }
      this.remember(memberId, { points: bound, held });
    }
    if (this.inFlight.size === 0) this.trimLog();
  }

  credit(memberId: string, amount: number): void {
    const bound = this.bounds.get(memberId);
    if (bound !== undefined) bound.points += amount;
    if (this.inFlight.size > 0) this.log.push({ memberId, amount });
  }

  /** Events may have been missed: nothing known stays known. */
  forgetAll(): void {
    this.epoch++;
    this.bounds.clear();
  }

  /** The member's points are at most this; undefined when not known. */
  boundOf(memberId: string): number | undefined {
    return this.subscribed() ? this.bounds.get(memberId)?.points : undefined;
  }

  /**
   * At most what the member can put into one English bid: free points plus their hold on that
   * auction. `knownHold` is a hold the caller knows of (its cached leader's high bid); the held
   * points read with the bound cover one the cache has not heard of yet.
   */
  spendableBoundOf(memberId: string, knownHold: number): number | undefined {
    const bound = this.subscribed() ? this.bounds.get(memberId) : undefined;
    return bound === undefined ? undefined : bound.points + Math.max(bound.held, knownHold);
  }

  private remember(memberId: string, bound: { points: number; held: number }): void {
    if (!this.bounds.has(memberId) && this.bounds.size >= this.maxEntries) {
      const oldest = this.bounds.keys().next().value;
      if (oldest !== undefined) this.bounds.delete(oldest);
    }
    this.bounds.set(memberId, bound);
  }

  private trimLog(): void {
    this.logStart += this.log.length;
    this.log = [];
  }
}
