import type { ServerClock } from '../lib/server-clock.ts';
import type { AuctionDirectory } from '../state/auction-directory.ts';
import type { Session } from '../state/session.ts';

/** What every page shares: the server's clock, who is signed in, and the auctions seen so far. */
export interface AppContext {
  readonly clock: ServerClock;
  readonly session: Session;
  readonly auctions: AuctionDirectory;
}
