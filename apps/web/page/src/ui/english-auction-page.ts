import type { EnglishAuctionView, Receipt } from '@dutch/contract';
import type { Millis } from '@dutch/domain';
import {
  ENGLISH_EVENTS,
  type EnglishEvent,
  englishNextChangeAt,
  englishServerTimeBound,
  englishStatusOf,
} from '../lib/english-auction.ts';
import {
  adoptView,
  type EnglishPageState,
  englishPageFromView,
  type Reaction,
  reactToEvent,
  withReceipts,
} from '../lib/english-page-state.ts';
import { describeOutcome, outcomeTone } from '../lib/english-words.ts';
import { viewerOutcome } from '../lib/viewer-outcome.ts';
import type { AppContext } from './app-context.ts';
import {
  type AuctionShell,
  createReceiptSlot,
  followLiveEvents,
  loadAuctionView,
  showAuctionTitle,
} from './auction-shell.ts';
import { createBidBoard } from './bid-board.ts';
import { h, setText } from './dom.ts';
import { createEnglishBidBox, type EnglishBidBox } from './english-bid-box.ts';
import { createEnglishPanel } from './english-panel.ts';
import { createPurchasesList } from './purchases-list.ts';
import type { PlacedBid } from './receipt-card.ts';
import { startTicker } from './ticker.ts';
import { createWatchBox } from './watch-box.ts';

/** Past the end without a close, the feed may have missed it: ask for the view this often. */
const CLOSE_CHECK_MS = 5_000;

type Parts = ReturnType<typeof createEnglishParts>;

function createEnglishParts(
  ctx: AppContext,
  id: string,
  hooks: { onReceipts: (receipts: readonly Receipt[]) => void; isOpen: () => boolean },
  signal: AbortSignal,
) {
  const { onReceipts, isOpen } = hooks;
  const panel = createEnglishPanel();
  const outcome = h('p', { class: 'outcome', 'data-testid': 'viewer-outcome', role: 'status', 'aria-atomic': 'true' });
  const history = createBidBoard(ctx, id, 'english', isOpen, signal);
  const watch = createWatchBox(ctx, id, 'english', signal);
  const purchases = createPurchasesList(
    ctx,
    { heading: 'Your bids in this auction', auctionId: id, onLoaded: onReceipts, empty: 'You have not bid yet.' },
    signal,
  );
  // A settled bid, a raise by someone else and the close all change the viewer's receipts and points.
  const refreshMine = () => {
    void purchases.refresh();
    void ctx.session.refresh();
  };
  // The viewer's own bid settled (a failed one too, which the feed does not announce): it is on the board.
  const onSettled = () => {
    refreshMine();
    history.refresh();
  };
  const receiptSlot = createReceiptSlot(ctx, onSettled, signal);
  const onAccepted = (bid: PlacedBid) => {
    receiptSlot.onAccepted(bid);
    refreshMine(); // the new PENDING receipt: "being settled" at once
  };
  return { panel, outcome, history, watch, purchases, receiptSlot, refreshMine, onAccepted };
}

function layOut(parts: Parts, bidBox: EnglishBidBox): HTMLElement {
  return h(
    'div',
    { class: 'auction-layout' },
    h('div', { class: 'auction-main' }, parts.panel.element, parts.history.element),
    h(
      'div',
      { class: 'auction-side' },
      h('section', { class: 'card outcome-card', 'aria-label': 'Your position' }, parts.outcome),
      bidBox.element,
      parts.receiptSlot.element,
      parts.watch.element,
      parts.purchases.element,
    ),
  );
}

/** Paints the whole page from the state at `now`: nothing here decides, it only shows. */
function paint(ctx: AppContext, parts: Parts, bidBox: EnglishBidBox, state: EnglishPageState, now: Millis): void {
  const { live, mine } = state;
  const outcome = viewerOutcome(live, ctx.session.get().member?.id ?? null, mine);
  parts.panel.update(live, now);
  bidBox.update(live, now, outcome);
  setText(parts.outcome, describeOutcome(outcome, live));
  parts.outcome.dataset.outcome = outcome.kind;
  parts.outcome.className = `outcome outcome-${outcomeTone(outcome)}`;
  parts.purchases.tick(now);
}

/** Past the end and not closed, and not asked for a while: time to ask the view. */
function isCloseOverdue(state: EnglishPageState, now: Millis, lastCheck: Millis): boolean {
  return state.live.close === null && englishStatusOf(state.live, now) === 'ended' && now - lastCheck >= CLOSE_CHECK_MS;
}

/**
 * An English auction, live: the high bid and the minimum next bid, a countdown to the current
 * end (moved by `extended`), the bid box, the history, and where the viewer stands. The feed
 * never names bidders, so the viewer's position comes from their own receipts.
 */
export function mountEnglishAuction(
  ctx: AppContext,
  shell: AuctionShell,
  first: EnglishAuctionView,
  signal: AbortSignal,
): void {
  const id = first.id;
  showAuctionTitle(shell, first);
  let state = englishPageFromView(first);
  let lastCloseCheck = ctx.clock.now();

  const react = ({ state: next, refreshMine, reloadView, refreshBoard }: Reaction) => {
    state = next;
    if (refreshMine) parts.refreshMine();
    if (refreshBoard) parts.history.refresh();
    if (reloadView) void reload();
    render();
  };
  const adopt = (view: EnglishAuctionView) => {
    ctx.clock.observe(Date.parse(view.serverTime));
    ctx.auctions.remember(view);
    showAuctionTitle(shell, view);
    react(adoptView(state, view));
  };
  const reload = async () => {
    const view = await loadAuctionView(ctx, id, shell, signal);
    if (view !== null && view.format === 'english') adopt(view);
  };
  const onReceipts = (receipts: readonly Receipt[]) => {
    parts.receiptSlot.update(receipts);
    react({ state: withReceipts(state, receipts), refreshMine: false, reloadView: false, refreshBoard: false });
  };
  const parts = createEnglishParts(ctx, id, { onReceipts, isOpen: () => state.live.close === null }, signal);
  const bidBox = createEnglishBidBox(ctx, id, parts.onAccepted, () => void reload());

  const render = () => {
    const now = ctx.clock.now();
    paint(ctx, parts, bidBox, state, now);
    // The close comes on the feed; should it be missed, the view says it within seconds.
    if (isCloseOverdue(state, now, lastCloseCheck)) {
      lastCloseCheck = now;
      void reload();
    }
  };
  const onEvent = (event: EnglishEvent) => {
    if (event.type === 'snapshot') return adopt(event.data);
    const bound = englishServerTimeBound(state.live, event);
    if (bound !== null) ctx.clock.atLeast(bound);
    react(reactToEvent(state, event, ctx.clock.now()));
  };

  shell.body.replaceChildren(layOut(parts, bidBox));
  ctx.session.subscribe(render, signal);
  startTicker(ctx.clock, () => englishNextChangeAt(state.live, ctx.clock.now()), render, signal);
  void parts.purchases.refresh();
  const handlers = { types: ENGLISH_EVENTS, onEvent, onChanged: () => void reload() };
  followLiveEvents<EnglishEvent>(ctx, id, shell, handlers, signal);
}
