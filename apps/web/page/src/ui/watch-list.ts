import { fetchWatches } from '../api/inbox-endpoints.ts';
import type { WatchItem } from '../api/types.ts';
import { describeError } from '../lib/plain-words.ts';
import { hrefOf } from '../lib/routes.ts';
import { describeWatchedAuction } from '../lib/watch-form.ts';
import type { AppContext } from './app-context.ts';
import { h, setText } from './dom.ts';

function createWatchRow(ctx: AppContext, item: WatchItem, onError: (message: string) => void): HTMLLIElement {
  const stop = h('button', { type: 'button', class: 'secondary', 'data-testid': 'watch-remove' }, 'Stop watching');
  const row = h(
    'li',
    { class: 'watch', 'data-testid': 'watch', 'data-auction-id': item.auctionId },
    h('a', { class: 'purchase-title', href: hrefOf({ name: 'auction', id: item.auctionId }) }, item.auction.title),
    h('p', { class: 'purchase-amount', 'data-testid': 'watch-summary' }, describeWatchedAuction(item)),
    stop,
  );
  stop.setAttribute('aria-label', `Stop watching ${item.auction.title}`);
  stop.addEventListener('click', async () => {
    stop.disabled = true;
    try {
      await ctx.watches.remove(item.auctionId); // the list reloads on the change
    } catch (error) {
      stop.disabled = false;
      onError(describeError(error));
    }
  });
  return row;
}

/**
 * "Watching" on the account page (GET /members/me/watches): each watched auction as it is now,
 * its alert price, a link to it, and Stop watching. Reloaded when a watch changes anywhere on the page.
 */
export function createWatchList(ctx: AppContext, token: string, signal: AbortSignal): HTMLElement {
  const list = h('ol', { class: 'purchases', 'data-testid': 'watches' });
  const message = h('p', { class: 'hint' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more');
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'watching-heading' },
    h('h2', { id: 'watching-heading' }, 'Watching'),
    message,
    list,
    more,
  );
  let cursor: string | null = null;
  const showError = (text: string) => setText(message, text);

  const load = async (from: string | null) => {
    try {
      const page = await fetchWatches(token, { cursor: from, limit: 20, signal });
      const rows = page.items.map((item) => createWatchRow(ctx, item, showError));
      if (from === null) list.replaceChildren(...rows);
      else list.append(...rows);
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      setText(message, list.children.length === 0 ? 'You are not watching any auction. Open one and press Watch.' : '');
    } catch (error) {
      if (!signal.aborted) showError(describeError(error));
    }
  };

  more.addEventListener('click', () => void load(cursor));
  ctx.watches.subscribe(() => void load(null), signal);
  void load(null);
  return element;
}
