import type { Millis } from '@dutch/domain';
import { describeAuctionStatus, describeNextChange, describeStock } from '../lib/auction-words.ts';
import { englishStatusOf } from '../lib/english-auction.ts';
import { describeEnglishCountdown, describeEnglishStatus } from '../lib/english-words.ts';
import { formatPoints } from '../lib/format.ts';
import { type ListedAuction, listedId } from '../lib/listed-auction.ts';
import { momentAt } from '../lib/live-auction.ts';
import { hrefOf } from '../lib/routes.ts';
import { h, setText } from './dom.ts';

export interface AuctionCard {
  readonly element: HTMLLIElement;
  listed: ListedAuction;
  update(now: Millis): void;
}

interface CardParts {
  readonly title: HTMLElement;
  readonly status: HTMLElement;
  readonly format: HTMLElement;
  readonly pricing: HTMLElement;
  readonly price: HTMLElement;
  readonly next: HTMLElement;
  readonly extra: HTMLElement;
}

/** The format badges: which way the price moves, and (Dutch) whether everyone pays the final price. */
function showBadges({ format, pricing }: CardParts, listed: ListedAuction): void {
  setText(format, listed.format === 'english' ? 'English: price goes up' : 'Dutch: price goes down');
  format.className = `badge badge-format badge-${listed.format}`;
  format.dataset.format = listed.format;
  pricing.hidden = listed.format !== 'dutch' || listed.live.view.pricing !== 'uniform';
}

function showDutch(parts: CardParts, listed: Extract<ListedAuction, { format: 'dutch' }>, now: Millis): void {
  const { live } = listed;
  const moment = momentAt(live, now);
  setText(parts.status, describeAuctionStatus(moment.status));
  parts.status.className = `badge badge-${moment.status}`;
  setText(parts.price, `${formatPoints(moment.currentPrice)} points`);
  setText(parts.next, describeNextChange(live.schedule, moment, now));
  setText(parts.extra, live.stock === null ? '' : describeStock(live.stock, live.view.initialStock));
}

function showEnglish(parts: CardParts, listed: Extract<ListedAuction, { format: 'english' }>, now: Millis): void {
  const { live } = listed;
  setText(parts.status, describeEnglishStatus(live, now));
  parts.status.className = `badge badge-${englishStatusOf(live, now)}`;
  const price =
    live.highBid === null
      ? `Opens at ${formatPoints(live.minNextBid)} points`
      : `High bid ${formatPoints(live.highBid)} points`;
  setText(parts.price, price);
  setText(parts.next, describeEnglishCountdown(live, now));
  setText(parts.extra, `${live.bidCount} ${live.bidCount === 1 ? 'bid' : 'bids'}`);
}

/** One auction in the list: a link to its page with the price and the countdown, kept current. */
export function createAuctionCard(initial: ListedAuction): AuctionCard {
  const parts: CardParts = {
    title: h('span', { class: 'auction-card-title' }),
    status: h('span', { class: 'badge' }),
    format: h('span', { class: 'badge', 'data-testid': 'card-format' }),
    pricing: h('span', { class: 'badge badge-uniform', 'data-testid': 'card-uniform' }, 'Uniform price'),
    price: h('span', { class: 'auction-card-price', 'data-testid': 'card-price' }),
    next: h('span', { class: 'auction-card-next' }),
    extra: h('span', { class: 'auction-card-stock' }),
  };
  const link = h(
    'a',
    { class: 'auction-card', href: hrefOf({ name: 'auction', id: listedId(initial) }) },
    h('span', { class: 'auction-card-head' }, parts.title, parts.status),
    h('span', { class: 'auction-card-badges' }, parts.format, parts.pricing),
    parts.price,
    parts.next,
    parts.extra,
  );
  const card: AuctionCard = {
    element: h('li', { 'data-testid': 'auction-card', 'data-auction-id': listedId(initial) }, link),
    listed: initial,
    update(now) {
      const { listed } = card;
      setText(parts.title, listed.live.view.title);
      showBadges(parts, listed);
      if (listed.format === 'english') showEnglish(parts, listed, now);
      else showDutch(parts, listed, now);
    },
  };
  return card;
}
