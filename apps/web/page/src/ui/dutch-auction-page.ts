import type { DutchAuctionView } from '@dutch/contract';
import { finalPrice } from '@dutch/domain';
import { nextChangeAt } from '../lib/auction-words.ts';
import {
  applyLiveEvent,
  DUTCH_EVENTS,
  type LiveAuction,
  type LiveEvent,
  liveFromView,
  momentAt,
  serverTimeLowerBound,
} from '../lib/live-auction.ts';
import type { AppContext } from './app-context.ts';
import {
  type AuctionShell,
  createReceiptSlot,
  followLiveEvents,
  loadAuctionView,
  showAuctionTitle,
} from './auction-shell.ts';
import { createBidBoard } from './bid-board.ts';
import { createBuyBox } from './buy-box.ts';
import { h } from './dom.ts';
import { createPriceChart } from './price-chart.ts';
import { createPricePanel } from './price-panel.ts';
import { createPurchasesList } from './purchases-list.ts';
import { startTicker } from './ticker.ts';
import { createWatchBox } from './watch-box.ts';

function createDutchParts(ctx: AppContext, id: string, isOpen: () => boolean, signal: AbortSignal) {
  const panel = createPricePanel();
  const chart = createPriceChart('price-chart', signal);
  const purchases = createPurchasesList(ctx, { heading: 'Your purchases in this auction', auctionId: id }, signal);
  const board = createBidBoard(ctx, id, 'dutch', isOpen, signal);
  const watch = createWatchBox(ctx, id, 'dutch', signal);
  // A settled bid changes the purchases, the points and the board.
  const onSettled = () => {
    void purchases.refresh();
    void ctx.session.refresh();
    board.refresh();
  };
  const receiptSlot = createReceiptSlot(ctx, onSettled, signal);
  const buyBox = createBuyBox(ctx, id, receiptSlot.onAccepted);

  const layout = h(
    'div',
    { class: 'auction-layout' },
    h(
      'div',
      { class: 'auction-main' },
      panel.element,
      h('figure', { class: 'card chart-card' }, chart.element),
      board.element,
    ),
    h('div', { class: 'auction-side' }, buyBox.element, receiptSlot.element, watch.element, purchases.element),
  );
  return { panel, chart, purchases, buyBox, board, watch, layout, onSettled };
}

/**
 * A Dutch auction, live: the snapshot, then the event stream. Price, countdown and status are
 * computed here every second with the domain and the server's clock; events only correct the
 * clock, the stock, the close and the definition.
 */
export function mountDutchAuction(
  ctx: AppContext,
  shell: AuctionShell,
  first: DutchAuctionView,
  signal: AbortSignal,
): void {
  const id = first.id;
  let live = liveFromView(first);
  const parts = createDutchParts(ctx, id, () => live.closedAt === null, signal);
  const { panel, chart, purchases, buyBox, board, watch, layout, onSettled } = parts;
  shell.body.replaceChildren(layout);

  const render = () => {
    const now = ctx.clock.now();
    const moment = momentAt(live, now);
    panel.update(live, moment, now);
    chart.update(live.schedule, now);
    buyBox.update(live, moment);
    watch.update({ current: moment.currentPrice, lowest: finalPrice(live.schedule) });
    purchases.tick(now);
  };

  const adopt = (next: LiveAuction) => {
    live = next;
    ctx.clock.observe(Date.parse(next.view.serverTime));
    ctx.auctions.remember(next.view);
    showAuctionTitle(shell, next.view);
    render();
  };

  const onEvent = (event: LiveEvent) => {
    if (event.type === 'snapshot') {
      board.refresh(); // a (re)connect: settlements while away are on the board
      return adopt(liveFromView(event.data));
    }
    const bound = serverTimeLowerBound(live, event);
    if (bound !== null) ctx.clock.atLeast(bound);
    live = applyLiveEvent(live, event);
    // A uniform close pays rebates: the receipts and the points changed.
    if (event.type === 'closed') onSettled();
    // Stock moves when a purchase settles (or a refund): the board has a new row or status.
    else if (event.type === 'stock') board.refresh();
    render();
  };

  const reload = async () => {
    const view = await loadAuctionView(ctx, id, shell, signal);
    if (view !== null && view.format !== 'english') adopt(liveFromView(view));
  };

  showAuctionTitle(shell, first);
  ctx.session.subscribe(render, signal);
  startTicker(ctx.clock, () => nextChangeAt(live.schedule, momentAt(live, ctx.clock.now())), render, signal);
  void purchases.refresh();
  followLiveEvents<LiveEvent>(ctx, id, shell, { types: DUTCH_EVENTS, onEvent, onChanged: () => void reload() }, signal);
}
