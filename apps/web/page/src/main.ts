import { createServerClock } from './lib/server-clock.ts';
import { createAuctionDirectory } from './state/auction-directory.ts';
import { startInbox } from './state/inbox.ts';
import { createSession } from './state/session.ts';
import { createWatchDirectory } from './state/watches.ts';
import type { AppContext } from './ui/app-context.ts';
import { startRouter } from './ui/router.ts';
import { createSiteHeader } from './ui/site-header.ts';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const clock = createServerClock();
const session = createSession(storage());
// The page lives as long as the tab: nothing ever aborts the app-wide parts.
const forever = new AbortController().signal;
const ctx: AppContext = {
  clock,
  session,
  auctions: createAuctionDirectory(clock),
  watches: createWatchDirectory(session),
  inbox: startInbox(session, forever),
};

const app = document.getElementById('app');
if (app === null) throw new Error('index.html has no #app element');
const header = createSiteHeader(ctx.session, ctx.inbox, forever);
const main = document.createElement('main');
main.id = 'main';
main.tabIndex = -1;
app.replaceChildren(header.element, main);

startRouter(ctx, main, (route) => header.setRoute(route));
void ctx.session.refresh();
