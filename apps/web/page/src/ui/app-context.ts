import type { ServerClock } from '../lib/server-clock.ts';
import type { AuctionDirectory } from '../state/auction-directory.ts';
import type { InboxStore } from '../state/inbox.ts';
import type { Session } from '../state/session.ts';
import type { WatchDirectory } from '../state/watches.ts';

/** What every page shares: the server's clock, who is signed in, the auctions seen so far, their watches and notifications. */
export interface AppContext {
  readonly clock: ServerClock;
  readonly session: Session;
  readonly auctions: AuctionDirectory;
  readonly watches: WatchDirectory;
  readonly inbox: InboxStore;
}
