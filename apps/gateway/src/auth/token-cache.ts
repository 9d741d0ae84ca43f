import type { TokenRow } from '@dutch/db';
import type { PointsBounds } from './points-bounds.ts';

type ReadToken = (tokenId: string) => Promise<TokenRow | undefined>;

/** How the cache reads tokens: `now` for one a request waits on, `later` for a background re-read. */
export interface TokenReads {
  readonly now: ReadToken;
  readonly later: ReadToken;
}

export interface CachedToken {
  readonly memberId: string;
  readonly secretHash: Uint8Array;
  readonly revoked: boolean;
}

interface Entry {
  value: CachedToken | null;
  loadedAt: number;
}

/**
 * Token id -> member, so authentication on the hot path does not touch Postgres. A known
 * token older than refreshAfterMs is served as it is while it is re-read in the background,
 * so a database outage does not log buyers out (revocations from any gateway arrive at once
 * as events; the re-read is the backstop). Unknown ids are remembered briefly, so garbage
 * tokens cannot hammer the database. Each read also loads the member's points bound (no extra
 * read on the bid path): see points-bounds.ts. app.ts batches the reads: those a request waits
 * on per event-loop turn, the re-reads over a longer window, as a burst's buyers were first seen
 * together and their re-reads come due together too.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<CachedToken | null>>();

  constructor(
    private readonly reads: TokenReads,
    private readonly clock: () => number,
    private readonly bounds: PointsBounds | null = null,
    private readonly refreshAfterMs = 60_000,
    private readonly unknownTtlMs = 5_000,
    private readonly maxEntries = 200_000,
  ) {}

  async get(tokenId: string): Promise<CachedToken | null> {
    return this.peek(tokenId) ?? this.load(tokenId);
  }

  /**
   * What get() would answer without waiting: the token as known (null: known not to exist), or
   * undefined when it must be read first. The bid fast path takes only a known, live token and
   * leaves everything else to the normal path, which waits for the read.
   */
  peek(tokenId: string): CachedToken | null | undefined {
    const entry = this.entries.get(tokenId);
    if (entry === undefined) return undefined;
    const age = this.clock() - entry.loadedAt;
    if (entry.value === null) return age < this.unknownTtlMs ? null : undefined;
    // Jittered, so tokens first seen in the same burst are not all re-read in the same second.
    if (age >= this.refreshAfterMs * (1 + (entry.loadedAt % 997) / 2000))
      void this.load(tokenId, this.reads.later).catch(() => {});
    return entry.value;
  }

  forget(tokenId: string): void {
    this.entries.delete(tokenId);
  }

  private load(tokenId: string, read = this.reads.now): Promise<CachedToken | null> {
    const inflight = this.loading.get(tokenId);
    if (inflight !== undefined) return inflight;
    const load = this.fetch(tokenId, read).finally(() => this.loading.delete(tokenId));
    this.loading.set(tokenId, load);
    return load;
  }

  private async fetch(tokenId: string, read: ReadToken): Promise<CachedToken | null> {
    const load = this.bounds?.beginLoad();
    let row: TokenRow | undefined;
    try {
      row = await read(tokenId);
    } finally {
      if (load !== undefined)
        this.bounds?.finishLoad(load, row?.memberId ?? null, row?.points ?? null, row?.heldPoints ?? 0);
    }
    const value =
      row === undefined
        ? null
        : // A copy of its own: the driver's Buffer is a view into a shared 8 KB pool slab, which a
          // long-lived cache would otherwise keep alive whole for every 32-byte hash.
          { memberId: row.memberId, secretHash: new Uint8Array(row.secretHash), revoked: row.revoked };
    if (!this.entries.has(tokenId) && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(tokenId, { value, loadedAt: this.clock() });
    return value;
  }
}
