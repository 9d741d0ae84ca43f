import { parseRoute, type Route } from '../lib/routes.ts';
import { renderAccountPage } from './account-page.ts';
import type { AppContext } from './app-context.ts';
import { renderAuctionListPage } from './auction-list-page.ts';
import { renderAuctionPage } from './auction-page.ts';
import { renderNotFoundPage } from './not-found-page.ts';
import { renderSellPage } from './sell-page.ts';

function renderRoute(ctx: AppContext, route: Route, signal: AbortSignal): HTMLElement {
  switch (route.name) {
    case 'auctions':
      return renderAuctionListPage(ctx, signal);
    case 'auction':
      return renderAuctionPage(ctx, route.id, signal);
    case 'sell':
      return renderSellPage(ctx, signal);
    case 'account':
      return renderAccountPage(ctx, signal);
    case 'not-found':
      return renderNotFoundPage(route.path);
  }
}

const TITLES: Record<Route['name'], string> = {
  auctions: 'Auctions',
  auction: 'Auction',
  sell: 'Sell',
  account: 'Account',
  'not-found': 'Not found',
};

/**
 * Renders the page the hash names into `main`, stopping everything the previous page started
 * (timers, event streams, polls) through its AbortSignal, and moves focus to the new heading
 * so keyboard and screen reader users land on the new page.
 */
export function startRouter(ctx: AppContext, main: HTMLElement, onRoute: (route: Route) => void): void {
  let current: AbortController | null = null;
  let first = true;
  const show = () => {
    current?.abort();
    current = new AbortController();
    const route = parseRoute(location.hash);
    document.title = `${TITLES[route.name]} · Dutch auctions`;
    main.replaceChildren(renderRoute(ctx, route, current.signal));
    onRoute(route);
    if (!first) main.querySelector<HTMLElement>('h1')?.focus();
    first = false;
  };
  window.addEventListener('hashchange', show);
  show();
}
