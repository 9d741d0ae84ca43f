import { findBidAuction, loadOpenAuctions, type Sql } from '@dutch/db';
import type { ClosedEvent, LeadEvent } from '@dutch/stream';
import {
  applyClosed,
  type CachedAuction,
  type CachedEnglish,
  entryOf,
  keepKnown,
  knownEndOf,
  mergeLead,
} from './cached-auction.ts';

export type { CachedAuction, CachedDutch, CachedEnglish, CachedLead } from './cached-auction.ts';

/** What confirmEnd() found: the auction as known after it, and whether its end is confirmed. */
export interface EndCheck {
  /** null when the auction is gone from the cache or is not English (the caller keeps what it had). */
  readonly auction: CachedEnglish | null;
  readonly confirmed: boolean;
}

/** One auction's reads of its row, by this gateway's clock. */
interface RowReads {
  /** When the latest read began (finished or not): reads for an end are spaced from it. */
  startedAt: number;
  /** When the latest read merged into the entry began: every commit before it is in the entry. */
  seenAt: number | null;
}

/**
 * Auction definitions, Dutch stock and English leads, in process, so POST /bids makes no
 * database query. Filled from Postgres on first use and refreshed in the background; stock,
 * leads and closes arrive from the consumers and definition changes from other gateways through
 * the events channel.
 */
export class AuctionCache {
  private readonly entries = new Map<string, CachedAuction>();
  /** Ids recently found missing, until when; bounded, so random ids cannot grow it without end. */
  private readonly misses = new Map<string, number>();
  private readonly loading = new Map<string, Promise<CachedAuction | null>>();
  private readonly reads = new Map<string, RowReads>();
  private readCount = 0;

  constructor(
    private readonly sql: Sql,
    private readonly clock: () => number,
    private readonly refreshAfterMs = 30_000,
    private readonly missTtlMs = 1_000,
    /** How long a read confirms an English end for, and the least spacing of reads made to confirm one. */
    private readonly endCheckEveryMs = 250,
  ) {}

  /** Auction rows read by id so far (first loads, refreshes, end checks): what late bids cost Postgres. */
  get rowReads(): number {
    return this.readCount;
  }

  /** The auction, or null when it does not exist (or was deleted). */
  async get(id: string): Promise<CachedAuction | null> {
    const entry = this.peek(id);
    if (entry !== undefined) return entry;
    if ((this.misses.get(id) ?? 0) > this.clock()) return null;
    return this.load(id);
  }

  /** The cached auction without waiting (a stale one is served and re-read behind), or undefined when not cached. */
  peek(id: string): CachedAuction | undefined {
    const entry = this.entries.get(id);
    if (entry !== undefined && this.clock() - entry.loadedAt > this.refreshAfterMs) void this.load(id).catch(() => {});
    return entry;
  }

  /**
   * For a bid stamped `at`, at or after the cached end of an open English auction with a soft
   * close: whether that end is confirmed, so the bid may be refused as late. The cached end can
   * lag the true one (a `lead` event not received yet, or lost: the consumer publishes after its
   * commit, so a crash between the two loses one), and a bid before the true end must never be
   * refused for lateness. An end is confirmed by a read of the row that began at or after it and
   * found it still the end, or by the close; such a read is trusted for endCheckEveryMs. Without
   * one, the row is read (or a read in flight joined), merged like any reload (never an earlier
   * end, never a lower high bid), and the caller admits by what it found. At most one read per
   * auction is in flight and one begins per endCheckEveryMs, so a sniping burst past the end
   * costs a handful of reads, not one per bid. A read that fails, or is not due yet, leaves the
   * end unconfirmed: the bid is then queued and settlement decides, which is never wrong.
   */
  async confirmEnd(id: string, at: number): Promise<EndCheck> {
    if (!this.isEndConfirmed(id, at)) await this.readForEnd(id).catch(() => {});
    const entry = this.entries.get(id);
    return { auction: entry?.format === 'english' ? entry : null, confirmed: this.isEndConfirmed(id, at) };
  }

  /** Forgets auctions that ended a while ago: they take no more bids and are cheap to reload. */
  evictEnded(olderThanMs = 10 * 60_000): void {
    const cutoff = this.clock() - olderThanMs;
    for (const [id, entry] of this.entries) {
      if (knownEndOf(entry) >= cutoff) continue;
      this.entries.delete(id);
      this.reads.delete(id);
    }
  }

  setStock(id: string, stock: number): void {
    const entry = this.entries.get(id);
    if (entry?.format === 'dutch') entry.stock = stock;
  }

  /** A settled leading bid: never lowers the high bid nor moves the end earlier (events can arrive out of order). */
  applyLead(event: LeadEvent): void {
    const entry = this.entries.get(event.auctionId);
    if (entry?.format === 'english') mergeLead(entry.lead, event);
  }

  applyClosed(event: ClosedEvent): void {
    const entry = this.entries.get(event.auctionId);
    if (entry !== undefined) applyClosed(entry, event);
  }

  /** Takes a row just read elsewhere (a live feed's reload), so it need not be read again. */
  remember(row: Parameters<typeof entryOf>[0]): CachedAuction {
    const entry = keepKnown(entryOf(row, this.clock()), this.entries.get(row.id));
    this.entries.set(row.id, entry);
    this.misses.delete(row.id);
    return entry;
  }

  invalidate(id: string): void {
    this.entries.delete(id);
    this.misses.delete(id);
    this.reads.delete(id);
  }

  /** After missed events (the subscription dropped), nothing cached can be trusted. */
  clear(): void {
    this.entries.clear();
    this.misses.clear();
    this.reads.clear();
  }

  /** Loads every auction that can still take bids, so the first bids of a burst find them warm. */
  async warm(): Promise<void> {
    const rows = await loadOpenAuctions(this.sql);
    for (const row of rows) this.entries.set(row.id, keepKnown(entryOf(row, this.clock()), this.entries.get(row.id)));
  }

  /**
   * Closed, or the cached end was read from Postgres (or found later there) by a read that began
   * at or after it, at most endCheckEveryMs before `at`. What such a read cannot see is a leading
   * bid stamped before the end that no consumer had committed yet: refusing a bid then refuses
   * one that everything committed says is late, and the consumer still re-checks what it admits.
   */
  private isEndConfirmed(id: string, at: number): boolean {
    const entry = this.entries.get(id);
    if (entry?.format !== 'english') return false;
    if (entry.closedAt !== null) return true;
    const seenAt = this.reads.get(id)?.seenAt ?? null;
    return seenAt !== null && entry.lead.endsAt <= seenAt && at - seenAt < this.endCheckEveryMs;
  }

  /** The read in flight, or a new one unless one began within endCheckEveryMs. */
  private readForEnd(id: string): Promise<unknown> {
    const inflight = this.loading.get(id);
    if (inflight !== undefined) return inflight;
    const startedAt = this.reads.get(id)?.startedAt;
    if (startedAt !== undefined && this.clock() - startedAt < this.endCheckEveryMs) return Promise.resolve();
    return this.load(id);
  }

  private load(id: string): Promise<CachedAuction | null> {
    const inflight = this.loading.get(id);
    if (inflight !== undefined) return inflight;
    const startedAt = this.clock();
    // Kept only beside an entry (only a cached auction's end is confirmed), so ids that fail to load leave nothing.
    const reads = this.reads.get(id);
    if (reads !== undefined) reads.startedAt = startedAt;
    else if (this.entries.has(id)) this.reads.set(id, { startedAt, seenAt: null });
    const load = this.fetch(id, startedAt).finally(() => this.loading.delete(id));
    this.loading.set(id, load);
    return load;
  }

  private async fetch(id: string, startedAt: number): Promise<CachedAuction | null> {
    this.readCount++;
    const row = await findBidAuction(this.sql, id);
    if (row === undefined) {
      this.entries.delete(id);
      this.reads.delete(id);
      if (this.misses.size >= 10_000) this.misses.clear();
      this.misses.set(id, this.clock() + this.missTtlMs);
      return null;
    }
    const entry = keepKnown(entryOf(row, this.clock()), this.entries.get(id));
    this.entries.set(id, entry);
    const reads = this.reads.get(id);
    if (reads === undefined) this.reads.set(id, { startedAt, seenAt: startedAt });
    else reads.seenAt = Math.max(reads.seenAt ?? startedAt, startedAt);
    return entry;
  }
}
