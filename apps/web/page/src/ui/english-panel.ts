import type { Millis } from '@dutch/domain';
import { englishStatusOf, type LiveEnglish } from '../lib/english-auction.ts';
import { describeEnglishCountdown, describeEnglishStatus, describeReserve } from '../lib/english-words.ts';
import { formatPoints } from '../lib/format.ts';
import { h, setText } from './dom.ts';

export interface EnglishPanel {
  readonly element: HTMLElement;
  update(live: LiveEnglish, now: Millis): void;
}

function createPanelElements() {
  const status = h('p', { class: 'badge', 'data-testid': 'auction-status' });
  const format = h('p', { class: 'badge badge-format badge-english' }, 'English: price goes up');
  const label = h('span', { class: 'price-label' });
  const value = h('span', { class: 'price-value' });
  // The high bid and the minimum are live regions; the countdown is not (read out every second it would drown them).
  const high = h(
    'p',
    { class: 'price', 'data-testid': 'high-bid', 'aria-live': 'polite', 'aria-atomic': 'true' },
    label,
    value,
    h('span', { class: 'price-unit' }, ' points'),
  );
  const minimum = h('p', { class: 'min-next-bid', 'data-testid': 'min-next-bid', 'aria-live': 'polite' });
  const countdown = h('p', { class: 'next-change', role: 'timer', 'data-testid': 'countdown' });
  const bids = h('p', { class: 'stock', 'data-testid': 'bid-count' });
  const reserve = h('p', { class: 'reserve', 'data-testid': 'reserve' });
  const element = h(
    'section',
    { class: 'price-panel', 'aria-label': 'High bid' },
    h('div', { class: 'badges' }, status, format),
    high,
    minimum,
    countdown,
    bids,
    reserve,
  );
  return { element, status, label, value, high, minimum, countdown, bids, reserve };
}

/** The high bid, large, with the least the next bid must offer, the countdown to the current end, and the reserve. */
export function createEnglishPanel(): EnglishPanel {
  const parts = createPanelElements();
  let shownEnd: Millis | null = null;
  parts.countdown.addEventListener('animationend', () => parts.countdown.classList.remove('end-moved'));

  return {
    element: parts.element,
    update(live, now) {
      setText(parts.status, describeEnglishStatus(live, now));
      parts.status.className = `badge badge-${englishStatusOf(live, now)}`;
      setText(parts.label, live.highBid === null ? 'Opening bid ' : 'High bid ');
      setText(parts.value, formatPoints(live.highBid ?? live.view.startPrice));
      parts.high.dataset.highBid = live.highBid === null ? 'none' : String(live.highBid);
      const open = live.close === null;
      parts.minimum.hidden = !open;
      parts.minimum.dataset.minNextBid = String(live.minNextBid);
      setText(parts.minimum, `Minimum next bid: ${formatPoints(live.minNextBid)} points`);
      // The end as an instant, so a test (or a curious reader of the DOM) sees it move.
      parts.countdown.dataset.endsAt = new Date(live.endsAt).toISOString();
      if (shownEnd !== null && live.endsAt > shownEnd) parts.countdown.classList.add('end-moved');
      shownEnd = live.endsAt;
      setText(parts.countdown, describeEnglishCountdown(live, now));
      const bids = `${live.bidCount} leading ${live.bidCount === 1 ? 'bid' : 'bids'}`;
      setText(parts.bids, open ? `${bids} so far` : bids);
      setText(parts.reserve, describeReserve(live));
      parts.reserve.hidden = !open;
      parts.reserve.dataset.reserveMet = String(live.reserveMet);
    },
  };
}
