import type { Millis } from '@dutch/domain';
import { englishStatusOf, type LiveEnglish } from './english-auction.ts';
import { formatCountdown, formatPoints } from './format.ts';
import type { ViewerOutcome } from './viewer-outcome.ts';

const points = (n: number) => `${formatPoints(n)} points`;

/** The badge: what a bidder can do now. Past the end, "Closing" until the close settles the last bids. */
export function describeEnglishStatus(state: LiveEnglish, now: Millis): string {
  const status = englishStatusOf(state, now);
  if (status === 'scheduled') return 'Starts soon';
  if (status === 'running') return 'Live';
  return state.close === null ? 'Closing' : 'Ended';
}

/** The countdown line, repainted every second; says so when late bids moved the end. */
export function describeEnglishCountdown(state: LiveEnglish, now: Millis): string {
  const status = englishStatusOf(state, now);
  if (status === 'scheduled') return `Starts in ${formatCountdown(state.startsAt - now)}`;
  if (status === 'running') {
    const left = `Ends in ${formatCountdown(state.endsAt - now)}`;
    return state.extensions > 0 ? `${left} (extended by a late bid)` : left;
  }
  if (state.close === null) return 'Bidding is over: settling the last bids.';
  return describeEnglishResult(state);
}

/** The public result of a closed auction. */
export function describeEnglishResult(state: LiveEnglish): string {
  const close = state.close;
  if (close === null) return '';
  if (close.winnerId !== null && close.finalPrice !== null) return `Sold for ${points(close.finalPrice)}.`;
  if (state.highBid !== null) return `Not sold: the high bid of ${points(state.highBid)} did not meet the reserve.`;
  return 'Ended with no bids.';
}

/** The reserve line: bidders see only whether it is met, the seller also sees the amount. Empty once closed: the result says it. */
export function describeReserve(state: LiveEnglish): string {
  if (state.close !== null) return '';
  const reserve = state.view.reservePrice;
  if (reserve === null) return 'No reserve.';
  const amount = reserve === undefined ? '' : ` (your reserve: ${points(reserve)})`;
  if (state.reserveMet) return `The high bid meets the reserve${amount}: it will win.`;
  return state.highBid === null ? `No bids yet${amount}.` : `Reserve not met yet${amount}.`;
}

/** The viewer's outcome as a sentence: the line a bidder looks for first. */
export function describeOutcome(outcome: ViewerOutcome, state: LiveEnglish): string {
  const closed = state.close !== null;
  switch (outcome.kind) {
    case 'signed_out':
      return 'Sign in to bid.';
    case 'seller':
      return describeSellerOutcome(state);
    case 'no_bid':
      return closed ? 'You did not bid in this auction.' : 'You have not bid yet.';
    case 'pending':
      return `Your bid of ${points(outcome.amount)} is being settled…`;
    case 'leading':
      return `You are leading with ${points(outcome.amount)}.`;
    case 'outbid':
      return closed
        ? `You were outbid (your best bid: ${points(outcome.amount)}).`
        : `You have been outbid: your ${points(outcome.amount)} is no longer the high bid.`;
    case 'won':
      return `You won at ${points(outcome.amount)}.`;
    case 'reserve_not_met':
      return `Your ${points(outcome.amount)} was the high bid but below the reserve: not sold, your points are free again.`;
  }
}

function describeSellerOutcome(state: LiveEnglish): string {
  const close = state.close;
  if (close === null) return 'This is your auction; sellers cannot bid on their own.';
  if (close.winnerId !== null && close.finalPrice !== null) {
    return `Sold for ${points(close.finalPrice)}: the points are yours.`;
  }
  return state.highBid === null ? 'Nobody bid: nothing was sold.' : 'The reserve was not met: nothing was sold.';
}

/** The outcome's tone, for its colour: good, bad, or neither. */
export function outcomeTone(outcome: ViewerOutcome): 'good' | 'bad' | 'neutral' {
  if (outcome.kind === 'leading' || outcome.kind === 'won') return 'good';
  if (outcome.kind === 'outbid' || outcome.kind === 'reserve_not_met') return 'bad';
  return 'neutral';
}
