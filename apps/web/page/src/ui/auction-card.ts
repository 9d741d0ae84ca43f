import type { Millis } from '@dutch/domain';
import { describeAuctionStatus, describeNextChange, describeStock } from '../lib/auction-words.ts';
import { formatPoints } from '../lib/format.ts';
import { type LiveAuction, momentAt } from '../lib/live-auction.ts';
import { hrefOf } from '../lib/routes.ts';
import { h, setText } from './dom.ts';

export interface AuctionCard {
  readonly element: HTMLLIElement;
  live: LiveAuction;
  update(now: Millis): void;
}

/** One auction in the list: a link to its page with the price and the countdown, kept current. */
export function createAuctionCard(initial: LiveAuction): AuctionCard {
  const title = h('span', { class: 'auction-card-title' });
  const status = h('span', { class: 'badge' });
  const price = h('span', { class: 'auction-card-price', 'data-testid': 'card-price' });
  const next = h('span', { class: 'auction-card-next' });
  const stock = h('span', { class: 'auction-card-stock' });
  const link = h(
    'a',
    { class: 'auction-card', href: hrefOf({ name: 'auction', id: initial.view.id }) },
    h('span', { class: 'auction-card-head' }, title, status),
    price,
    next,
    stock,
  );
  const card: AuctionCard = {
    element: h('li', { 'data-testid': 'auction-card', 'data-auction-id': initial.view.id }, link),
    live: initial,
    update(now) {
      const { live } = card;
      const moment = momentAt(live, now);
      setText(title, live.view.title);
      setText(status, describeAuctionStatus(moment.status));
      status.className = `badge badge-${moment.status}`;
      setText(price, `${formatPoints(moment.currentPrice)} points`);
      setText(next, describeNextChange(live.schedule, moment, now));
      setText(stock, live.stock === null ? '' : describeStock(live.stock, live.view.initialStock));
    },
  };
  return card;
}
