import { fetchAuction } from '../api/endpoints.ts';
import { nextChangeAt } from '../lib/auction-words.ts';
import {
  applyLiveEvent,
  type LiveAuction,
  type LiveEvent,
  liveFromView,
  momentAt,
  serverTimeLowerBound,
} from '../lib/live-auction.ts';
import { describeError } from '../lib/plain-words.ts';
import type { AppContext } from './app-context.ts';
import { type ConnectionState, followAuctionEvents } from './auction-events.ts';
import { createBuyBox, type OnAccepted } from './buy-box.ts';
import { h, setText } from './dom.ts';
import { createPriceChart } from './price-chart.ts';
import { createPricePanel } from './price-panel.ts';
import { createPurchasesList, type PurchasesList } from './purchases-list.ts';
import { createReceiptCard } from './receipt-card.ts';
import { startTicker } from './ticker.ts';

const CONNECTION_WORDS: Record<ConnectionState, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live updates on',
  reconnecting: 'Live updates lost; reconnecting…',
};

/** Where the newest bid's receipt shows; its settling refreshes the purchases and the points. */
function createReceiptSlot(ctx: AppContext, purchases: PurchasesList, signal: AbortSignal) {
  const element = h('div');
  let receipt: AbortController | null = null;
  signal.addEventListener('abort', () => receipt?.abort(), { once: true });

  const onAccepted: OnAccepted = (accepted, quantity) => {
    receipt?.abort(); // the newest bid's receipt replaces the previous one; its row stays in the purchases
    receipt = new AbortController();
    const onSettled = () => {
      void purchases.refresh();
      void ctx.session.refresh();
    };
    element.replaceChildren(createReceiptCard(ctx, accepted, quantity, onSettled, receipt.signal));
  };
  return { element, onAccepted };
}

function createAuctionParts(ctx: AppContext, id: string, signal: AbortSignal) {
  const heading = h('h1', { tabindex: -1, 'data-testid': 'auction-title' }, 'Loading auction…');
  const description = h('p', { class: 'lead' });
  const connection = h('p', { class: 'connection', 'data-testid': 'connection' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const panel = createPricePanel();
  const chart = createPriceChart('price-chart', signal);
  const purchases = createPurchasesList(ctx, { heading: 'Your purchases in this auction', auctionId: id }, signal);
  const receiptSlot = createReceiptSlot(ctx, purchases, signal);
  const buyBox = createBuyBox(ctx, id, receiptSlot.onAccepted);

  const layout = h(
    'div',
    { class: 'auction-layout', hidden: true },
    h('div', { class: 'auction-main' }, panel.element, h('figure', { class: 'card chart-card' }, chart.element)),
    h('div', { class: 'auction-side' }, buyBox.element, receiptSlot.element, purchases.element),
  );
  return { heading, description, connection, problem, panel, chart, purchases, buyBox, layout };
}

type AuctionParts = ReturnType<typeof createAuctionParts>;

function showAuctionTitle({ heading, description, layout }: AuctionParts, view: LiveAuction['view']): void {
  setText(heading, view.title);
  setText(description, view.description ?? '');
  document.title = `${view.title} · Dutch auctions`;
  layout.hidden = false;
}

function followLiveEvents(
  ctx: AppContext,
  id: string,
  connection: HTMLElement,
  handlers: { onEvent: (event: LiveEvent) => void; onChanged: () => void },
  signal: AbortSignal,
): void {
  const onConnection = (state: ConnectionState) => setText(connection, CONNECTION_WORDS[state]);
  // Signed in, the feed is read as the member: the seller's own feed then carries the stock.
  const { token } = ctx.session.get();
  followAuctionEvents(id, { ...handlers, onConnection }, signal, token);
}

/**
 * One auction, live: the snapshot from GET /auctions/:id, then the event stream. Price,
 * countdown and status are computed here every second with the domain and the server's clock;
 * events only correct the clock, the stock and the definition.
 */
export function renderAuctionPage(ctx: AppContext, id: string, signal: AbortSignal): HTMLElement {
  const parts = createAuctionParts(ctx, id, signal);
  const { heading, description, connection, problem, panel, chart, purchases, buyBox } = parts;
  let live: LiveAuction | null = null;

  const render = () => {
    if (live === null) return;
    const now = ctx.clock.now();
    const moment = momentAt(live, now);
    panel.update(live, moment, now);
    chart.update(live.schedule, now);
    buyBox.update(live, moment);
    purchases.tick(now);
  };

  const nextTick = () => (live === null ? null : nextChangeAt(live.schedule, momentAt(live, ctx.clock.now())));

  const adopt = (next: LiveAuction) => {
    const first = live === null;
    live = next;
    ctx.clock.observe(Date.parse(next.view.serverTime));
    ctx.auctions.remember(next.view);
    showAuctionTitle(parts, next.view);
    if (first) {
      startTicker(ctx.clock, nextTick, render, signal);
      void purchases.refresh();
    } else render();
  };

  const load = async (): Promise<boolean> => {
    try {
      adopt(liveFromView(await fetchAuction(id, signal, ctx.session.get().token)));
      return true;
    } catch (error) {
      if (!signal.aborted) setText(problem, describeError(error));
      return false;
    }
  };

  const onEvent = (event: LiveEvent) => {
    if (event.type === 'snapshot') {
      adopt(liveFromView(event.data));
      return;
    }
    if (live === null) return;
    const bound = serverTimeLowerBound(live, event);
    if (bound !== null) ctx.clock.atLeast(bound);
    live = applyLiveEvent(live, event);
    render();
  };

  ctx.session.subscribe(render, signal);
  void load().then((found) => {
    if (found) followLiveEvents(ctx, id, connection, { onEvent, onChanged: () => void load() }, signal);
  });
  return h('article', { class: 'page' }, heading, description, connection, problem, parts.layout);
}
