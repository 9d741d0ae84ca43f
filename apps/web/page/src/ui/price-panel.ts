import type { AuctionMoment, Millis } from '@dutch/domain';
import { describeAuctionStatus, describeNextChange, describeStock } from '../lib/auction-words.ts';
import { formatPoints } from '../lib/format.ts';
import type { LiveAuction } from '../lib/live-auction.ts';
import { describeClearing, UNIFORM_NOTE } from '../lib/receipt-words.ts';
import { h, setText } from './dom.ts';

export interface PricePanel {
  readonly element: HTMLElement;
  update(live: LiveAuction, moment: AuctionMoment, now: Millis): void;
}

/** The price, large, with what happens next and the stock left: what a buyer looks at. */
export function createPricePanel(): PricePanel {
  const status = h('p', { class: 'badge', 'data-testid': 'auction-status' });
  const value = h('span', { class: 'price-value' });
  // Only the price and the stock are live regions: a countdown read out every second would drown everything.
  const price = h(
    'p',
    { class: 'price', 'data-testid': 'current-price', 'aria-live': 'polite', 'aria-atomic': 'true' },
    h('span', { class: 'visually-hidden' }, 'Current price: '),
    value,
    h('span', { class: 'price-unit' }, ' points'),
  );
  const next = h('p', { class: 'next-change', role: 'timer', 'data-testid': 'next-drop' });
  const stock = h('p', { class: 'stock', 'data-testid': 'stock', 'aria-live': 'polite', hidden: true });
  const uniform = h('p', { class: 'uniform-note', 'data-testid': 'uniform-note', 'aria-live': 'polite', hidden: true });
  const uniformBadge = h(
    'p',
    { class: 'badge badge-uniform', 'data-testid': 'uniform-badge', hidden: true },
    'Uniform price',
  );
  const badges = h(
    'div',
    { class: 'badges' },
    status,
    h('p', { class: 'badge badge-format badge-dutch' }, 'Dutch: price goes down'),
    uniformBadge,
  );
  const element = h('section', { class: 'price-panel', 'aria-label': 'Price' }, badges, price, next, stock, uniform);

  let shownPrice: number | null = null;
  price.addEventListener('animationend', () => price.classList.remove('price-dropped'));

  return {
    element,
    update(live, moment, now) {
      setText(status, describeAuctionStatus(moment.status));
      status.className = `badge badge-${moment.status}`;
      if (shownPrice !== null && moment.currentPrice < shownPrice) price.classList.add('price-dropped');
      shownPrice = moment.currentPrice;
      price.dataset.price = String(moment.currentPrice);
      setText(value, formatPoints(moment.currentPrice));
      setText(next, describeNextChange(live.schedule, moment, now));
      stock.hidden = live.stock === null;
      if (live.stock !== null) {
        stock.dataset.stock = String(live.stock);
        setText(stock, describeStock(live.stock, live.view.initialStock));
      }
      showUniform(uniform, live);
      uniformBadge.hidden = live.view.pricing !== 'uniform';
    },
  };
}

/** Uniform pricing: the promise while it runs, the clearing price once closed. */
function showUniform(uniform: HTMLElement, live: LiveAuction): void {
  uniform.hidden = live.view.pricing !== 'uniform';
  if (uniform.hidden) return;
  if (live.closedAt === null) {
    setText(uniform, UNIFORM_NOTE);
    delete uniform.dataset.clearingPrice;
    return;
  }
  setText(uniform, describeClearing(live.clearingPrice));
  uniform.dataset.clearingPrice = live.clearingPrice === null ? 'none' : String(live.clearingPrice);
}
