import type { AuctionView } from '@dutch/contract';
import { fetchAuction } from '../api/endpoints.ts';
import type { ServerClock } from '../lib/server-clock.ts';

/**
 * Auction views by id, fetched once: purchase lists need each auction's title and end time,
 * and many receipts share an auction.
 */
export interface AuctionDirectory {
  get(id: string): Promise<AuctionView | null>;
  remember(view: AuctionView): void;
}

export function createAuctionDirectory(clock: ServerClock): AuctionDirectory {
  const views = new Map<string, Promise<AuctionView | null>>();
  return {
    get(id) {
      let view = views.get(id);
      if (view === undefined) {
        view = fetchAuction(id).then(
          (loaded) => {
            clock.observe(Date.parse(loaded.serverTime));
            return loaded;
          },
          () => {
            views.delete(id); // try again next time rather than remember a network blip
            return null;
          },
        );
        views.set(id, view);
      }
      return view;
    },
    remember(view) {
      views.set(view.id, Promise.resolve(view));
    },
  };
}
