import { findBidAuction, loadOpenAuctions, type Sql } from '@dutch/db';
import type { ClosedEvent, LeadEvent } from '@dutch/stream';
import { applyClosed, type CachedAuction, entryOf, keepKnown, knownEndOf, mergeLead } from './cached-auction.ts';

export type { CachedAuction, CachedDutch, CachedEnglish, CachedLead } from './cached-auction.ts';

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

  constructor(
    private readonly sql: Sql,
    private readonly clock: () => number,
    private readonly refreshAfterMs = 30_000,
    private readonly missTtlMs = 1_000,
  ) {}

  /** The auction, or null when it does not exist (or was deleted). */
  async get(id: string): Promise<CachedAuction | null> {
    const now = this.clock();
    const entry = this.entries.get(id);
    if (entry !== undefined) {
      if (now - entry.loadedAt > this.refreshAfterMs) void this.load(id).catch(() => {});
      return entry;
    }
    if ((this.misses.get(id) ?? 0) > now) return null;
    return this.load(id);
  }

  /** Forgets auctions that ended a while ago: they take no more bids and are cheap to reload. */
  evictEnded(olderThanMs = 10 * 60_000): void {
    const cutoff = this.clock() - olderThanMs;
    for (const [id, entry] of this.entries) if (knownEndOf(entry) < cutoff) this.entries.delete(id);
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
  }

  /** After missed events (the subscription dropped), nothing cached can be trusted. */
  clear(): void {
    this.entries.clear();
    this.misses.clear();
  }

  /** Loads every auction that can still take bids, so the first bids of a burst find them warm. */
  async warm(): Promise<void> {
    const rows = await loadOpenAuctions(this.sql);
    for (const row of rows) this.entries.set(row.id, keepKnown(entryOf(row, this.clock()), this.entries.get(row.id)));
  }

  private load(id: string): Promise<CachedAuction | null> {
    const inflight = this.loading.get(id);
    if (inflight !== undefined) return inflight;
    const load = this.fetch(id).finally(() => this.loading.delete(id));
    this.loading.set(id, load);
    return load;
  }

  private async fetch(id: string): Promise<CachedAuction | null> {
    const row = await findBidAuction(this.sql, id);
    if (row === undefined) {
      this.entries.delete(id);
      if (this.misses.size >= 10_000) this.misses.clear();
      this.misses.set(id, this.clock() + this.missTtlMs);
      return null;
    }
    const entry = keepKnown(entryOf(row, this.clock()), this.entries.get(id));
    this.entries.set(id, entry);
    return entry;
  }
}
