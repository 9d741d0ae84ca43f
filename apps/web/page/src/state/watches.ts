import { fetchWatches, unwatchAuction, watchAuction } from '../api/inbox-endpoints.ts';
import type { WatchSet } from '../api/types.ts';
import type { Session } from './session.ts';
import { createStore } from './store.ts';

/**
 * Which auctions the member watches, for the watch box on every auction page. There is no
 * "is this one watched" request, and a member's watches are few, so they are read once per
 * token (GET /members/me/watches) and kept current by this page's own changes.
 */
export interface WatchDirectory {
  /** The member's watch of the auction; null when not watching, or signed out. */
  get(auctionId: string): Promise<WatchSet | null>;
  /** Watches it, or changes its alert price. */
  set(auctionId: string, alertPrice: number | null): Promise<WatchSet>;
  remove(auctionId: string): Promise<void>;
  /** Calls `listener` with the auction whose watch changed here, until `signal` aborts. */
  subscribe(listener: (auctionId: string) => void, signal: AbortSignal): void;
}

/** Pages of 100 read at most: past that, an unlisted auction shows as not watched until toggled. */
const MAX_PAGES = 10;

async function loadAll(token: string): Promise<Map<string, WatchSet>> {
  const watches = new Map<string, WatchSet>();
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const read = await fetchWatches(token, { cursor, limit: 100 });
    for (const { auction: _view, ...watch } of read.items) watches.set(watch.auctionId, watch);
    cursor = read.nextCursor;
    if (cursor === null) break;
  }
  return watches;
}

export function createWatchDirectory(session: Session): WatchDirectory {
  let loaded: { token: string; watches: Promise<Map<string, WatchSet>> } | null = null;
  const changes = createStore<string>('');

  const watchesOf = (token: string) => {
    if (loaded?.token !== token) {
      const watches = loadAll(token);
      // A failed read is not remembered: the next page asks again.
      watches.catch(() => {
        if (loaded?.watches === watches) loaded = null;
      });
      loaded = { token, watches };
    }
    return loaded.watches;
  };
  const tokenOf = () => {
    const { token } = session.get();
    if (token === null) throw new Error('Sign in to watch auctions.');
    return token;
  };

  return {
    async get(auctionId) {
      const { token } = session.get();
      if (token === null) return null;
      return (await watchesOf(token)).get(auctionId) ?? null;
    },
    async set(auctionId, alertPrice) {
      const token = tokenOf();
      const watch = await watchAuction(token, auctionId, alertPrice);
      (await watchesOf(token).catch(() => new Map<string, WatchSet>())).set(auctionId, watch);
      changes.set(auctionId);
      return watch;
    },
    async remove(auctionId) {
      const token = tokenOf();
      await unwatchAuction(token, auctionId);
      (await watchesOf(token).catch(() => new Map<string, WatchSet>())).delete(auctionId);
      changes.set(auctionId);
    },
    subscribe(listener, signal) {
      changes.subscribe(listener, signal);
    },
  };
}
