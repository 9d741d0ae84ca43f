import { type BidAuctionRow, findBidAuction, loadOpenAuctions, type Sql, termsOf } from '@dutch/db';
import type { AuctionTerms, StockVisibility } from '@dutch/domain';

/** What the bid path needs to know about an auction, kept in memory. */
export interface CachedAuction {
  readonly id: string;
  /** With showStock, so admission (admitBid) keeps a hidden stock hidden. */
  readonly terms: AuctionTerms & StockVisibility;
  readonly showStock: boolean;
  /** The last stock this gateway heard of; during an auction only ever too high, never too low. */
  stock: number;
  loadedAt: number;
}

/**
 * Auction definitions and stock, in process, so POST /bids makes no database query. Filled
 * from Postgres on first use and refreshed in the background; stock arrives from the
 * consumers and definition changes from other gateways through the events channel.
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
    for (const [id, entry] of this.entries) if (entry.terms.endsAt < cutoff) this.entries.delete(id);
  }

  setStock(id: string, stock: number): void {
    const entry = this.entries.get(id);
    if (entry) entry.stock = stock;
  }

  /** Takes a row just read elsewhere (a live feed's reload), so it need not be read again. */
  remember(row: BidAuctionRow): CachedAuction {
    const entry = this.toEntry(row);
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
    for (const row of rows) this.entries.set(row.id, this.toEntry(row));
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
    const entry = this.toEntry(row);
    this.entries.set(id, entry);
    return entry;
  }

  private toEntry(row: BidAuctionRow): CachedAuction {
    const terms = { ...termsOf(row), showStock: row.showStock };
    return { id: row.id, terms, showStock: row.showStock, stock: row.stock, loadedAt: this.clock() };
  }
}
