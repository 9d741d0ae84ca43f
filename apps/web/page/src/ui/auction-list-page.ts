import type { AuctionView } from '@dutch/contract';
import type { AuctionStatus, Millis } from '@dutch/domain';
import { type AuctionSort, fetchAuctions } from '../api/endpoints.ts';
import { type AuctionGroup, groupAuctions } from '../lib/auction-groups.ts';
import { listedFromView, listedId, listedNextChangeAt } from '../lib/listed-auction.ts';
import { describeError } from '../lib/plain-words.ts';
import type { AppContext } from './app-context.ts';
import { type AuctionCard, createAuctionCard } from './auction-card.ts';
import { h, setText, syncChildren } from './dom.ts';
import { startTicker } from './ticker.ts';

/** New auctions appear without a reload; prices and countdowns tick locally in between. */
const REFRESH_MS = 15_000;

const QUERIES: readonly { status: AuctionStatus; sort: AuctionSort; limit: number }[] = [
  { status: 'running', sort: 'currentPrice', limit: 50 },
  { status: 'sold_out', sort: '-startsAt', limit: 20 },
  { status: 'scheduled', sort: 'startsAt', limit: 50 },
  { status: 'ended', sort: '-startsAt', limit: 12 },
];

const SECTIONS: readonly { group: AuctionGroup; title: string; empty: string }[] = [
  { group: 'live', title: 'Live now', empty: 'Nothing is on sale right now.' },
  { group: 'upcoming', title: 'Starting soon', empty: 'Nothing is scheduled.' },
  { group: 'ended', title: 'Recently ended', empty: 'No auction has ended yet.' },
];

type ListSection = { group: AuctionGroup; list: HTMLElement; none: HTMLElement; element: HTMLElement };

function createSections(): ListSection[] {
  return SECTIONS.map(({ group, title, empty }) => {
    const list = h('ul', { class: 'auction-grid', 'data-testid': `auctions-${group}` });
    const none = h('p', { class: 'hint' }, empty);
    const headingId = `auctions-${group}-heading`;
    const element = h('section', { 'aria-labelledby': headingId }, h('h2', { id: headingId }, title), none, list);
    return { group, list, none, element };
  });
}

function showSections(sections: readonly ListSection[], cards: Map<string, AuctionCard>, now: Millis): void {
  const groups = groupAuctions(
    [...cards.values()].map((c) => c.listed),
    now,
  );
  for (const section of sections) {
    const members = groups[section.group].map((listed) => cards.get(listedId(listed))).filter((c) => c !== undefined);
    for (const card of members) card.update(now);
    syncChildren(
      section.list,
      members.map((c) => c.element),
    );
    section.none.hidden = members.length > 0;
  }
}

/** Keeps one card per auction across loads: new ones added, gone ones dropped, the rest updated. */
function adoptViews(ctx: AppContext, cards: Map<string, AuctionCard>, views: readonly AuctionView[]): void {
  for (const view of views) ctx.clock.observe(Date.parse(view.serverTime));
  const seen = new Set(views.map((v) => v.id));
  for (const id of cards.keys()) if (!seen.has(id)) cards.delete(id);
  for (const view of views) {
    const card = cards.get(view.id);
    if (card === undefined) cards.set(view.id, createAuctionCard(listedFromView(view)));
    else card.listed = listedFromView(view);
  }
}

function findNextChange(cards: Map<string, AuctionCard>, now: Millis): Millis | null {
  const targets = [...cards.values()].map((c) => listedNextChangeAt(c.listed, now)).filter((at) => at !== null);
  return targets.length === 0 ? null : Math.min(...targets);
}

/** Every auction by what a buyer can do now: buy, wait for the start, or look back. */
export function renderAuctionListPage(ctx: AppContext, signal: AbortSignal): HTMLElement {
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const cards = new Map<string, AuctionCard>();
  const sections = createSections();

  const render = () => showSections(sections, cards, ctx.clock.now());

  const load = async () => {
    try {
      const pages = await Promise.all(QUERIES.map((q) => fetchAuctions(q.status, { ...q, signal })));
      const views: AuctionView[] = pages.flatMap((page) => [...page.items]);
      adoptViews(ctx, cards, views);
      setText(problem, '');
      render();
    } catch (error) {
      if (!signal.aborted) setText(problem, describeError(error));
    }
  };

  const nextTick = () => findNextChange(cards, ctx.clock.now());

  void load().then(() => startTicker(ctx.clock, nextTick, render, signal));
  const refresh = setInterval(() => void load(), REFRESH_MS);
  signal.addEventListener('abort', () => clearInterval(refresh), { once: true });

  return h(
    'div',
    { class: 'page' },
    h('h1', { tabindex: -1 }, 'Auctions'),
    h(
      'p',
      { class: 'lead' },
      'Dutch prices fall until someone buys; English prices rise with every bid. Pick one to watch it live.',
    ),
    problem,
    ...sections.map((s) => s.element),
  );
}
