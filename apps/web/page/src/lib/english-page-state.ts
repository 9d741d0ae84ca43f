import type { EnglishAuctionView, EnglishReceipt, Receipt } from '@dutch/contract';
import type { Millis } from '@dutch/domain';
import { recordSeenBid, type SeenBid } from './bid-history.ts';
import { applyEnglishEvent, type EnglishEvent, englishFromView, type LiveEnglish } from './english-auction.ts';

/** Everything the English auction page shows, apart from the clock. */
export interface EnglishPageState {
  readonly live: LiveEnglish;
  /** The viewer's own receipts in this auction (their bids). */
  readonly mine: readonly EnglishReceipt[];
  /** Leading bids the page has seen: the one it opened with, then the feed's. */
  readonly seen: readonly SeenBid[];
}

/** A new state, and what else changed that the page must fetch again. */
export interface Reaction {
  readonly state: EnglishPageState;
  /** The viewer's receipts (and points) changed: reload them. */
  readonly refreshMine: boolean;
  /** The view knows something the event did not carry (whether the reserve is met): reload it. */
  readonly reloadView: boolean;
}

export function englishPageFromView(view: EnglishAuctionView): EnglishPageState {
  return {
    live: englishFromView(view),
    mine: [],
    seen: view.highBid === null ? [] : [{ amount: view.highBid, seenAt: null }],
  };
}

export function withReceipts(state: EnglishPageState, receipts: readonly Receipt[]): EnglishPageState {
  return { ...state, mine: receipts.filter((r): r is EnglishReceipt => r.format === 'english') };
}

/** A fresh view (a reload, or the feed's snapshot on reconnecting). */
export function adoptView(state: EnglishPageState, view: EnglishAuctionView): Reaction {
  const live = applyEnglishEvent(state.live, { type: 'snapshot', data: view });
  const seen = view.highBid === null ? state.seen : recordSeenBid(state.seen, { amount: view.highBid, seenAt: null });
  // Closed since the page last looked: the close settled the viewer's receipts and moved points.
  const refreshMine = state.live.close === null && live.close !== null;
  return { state: { ...state, live, seen }, refreshMine, reloadView: false };
}

/** One event of the feed, seen at `now` by the server's clock. */
export function reactToEvent(state: EnglishPageState, event: EnglishEvent, now: Millis): Reaction {
  if (event.type === 'snapshot') return adoptView(state, event.data);
  const live = applyEnglishEvent(state.live, event);
  if (event.type === 'bid') {
    const seen = recordSeenBid(state.seen, { amount: event.data.highBid, seenAt: now });
    // The viewer's own raise settled, or someone outbid them: either way their receipts changed.
    const refreshMine = state.mine.some((r) => r.status === 'LEADING' || r.status === 'PENDING');
    // Bidders learn whether the reserve is met from the view only; once met it stays met.
    return { state: { ...state, live, seen }, refreshMine, reloadView: !live.reserveMet };
  }
  const refreshMine = event.type === 'closed' && state.live.close === null;
  return { state: { ...state, live }, refreshMine, reloadView: false };
}
