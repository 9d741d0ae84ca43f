import type { EnglishAuctionView, EnglishReceipt, Receipt } from '@dutch/contract';
import type { Millis } from '@dutch/domain';
import { applyEnglishEvent, type EnglishEvent, englishFromView, type LiveEnglish } from './english-auction.ts';

/** Everything the English auction page shows, apart from the clock and the public board. */
export interface EnglishPageState {
  readonly live: LiveEnglish;
  /** The viewer's own receipts in this auction (their bids). */
  readonly mine: readonly EnglishReceipt[];
}

/** A new state, and what else changed that the page must fetch again. */
export interface Reaction {
  readonly state: EnglishPageState;
  /** The viewer's receipts (and points) changed: reload them. */
  readonly refreshMine: boolean;
  /** The view knows something the event did not carry (whether the reserve is met): reload it. */
  readonly reloadView: boolean;
  /** A bid settled as a lead, or the close settled the leader: the public board has new rows or statuses. */
  readonly refreshBoard: boolean;
}

export function englishPageFromView(view: EnglishAuctionView): EnglishPageState {
  return { live: englishFromView(view), mine: [] };
}

export function withReceipts(state: EnglishPageState, receipts: readonly Receipt[]): EnglishPageState {
  return { ...state, mine: receipts.filter((r): r is EnglishReceipt => r.format === 'english') };
}

/** A fresh view (a reload, or the feed's snapshot on reconnecting). */
export function adoptView(state: EnglishPageState, view: EnglishAuctionView): Reaction {
  const live = applyEnglishEvent(state.live, { type: 'snapshot', data: view });
  // Closed since the page last looked: the close settled the viewer's receipts and moved points.
  const closedSince = state.live.close === null && live.close !== null;
  // Bids the page did not hear of (a reconnect) are on the board.
  const raised = live.bidCount > state.live.bidCount;
  return {
    state: { ...state, live },
    refreshMine: closedSince,
    reloadView: false,
    refreshBoard: closedSince || raised,
  };
}

/** One event of the feed, seen at `now` by the server's clock. */
export function reactToEvent(state: EnglishPageState, event: EnglishEvent, _now: Millis): Reaction {
  if (event.type === 'snapshot') return adoptView(state, event.data);
  const live = applyEnglishEvent(state.live, event);
  if (event.type === 'bid') {
    // The viewer's own raise settled, or someone outbid them: either way their receipts changed.
    const refreshMine = state.mine.some((r) => r.status === 'LEADING' || r.status === 'PENDING');
    // Bidders learn whether the reserve is met from the view only; once met it stays met.
    return { state: { ...state, live }, refreshMine, reloadView: !live.reserveMet, refreshBoard: true };
  }
  const closedNow = event.type === 'closed' && state.live.close === null;
  return { state: { ...state, live }, refreshMine: closedNow, reloadView: false, refreshBoard: closedNow };
}
