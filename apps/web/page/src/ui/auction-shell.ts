import type { AuctionView, Receipt } from '@dutch/contract';
import { fetchAuction } from '../api/endpoints.ts';
import { describeError } from '../lib/plain-words.ts';
import type { AppContext } from './app-context.ts';
import {
  type AuctionEventHandlers,
  type ConnectionState,
  type FeedEvent,
  followAuctionEvents,
} from './auction-events.ts';
import { h, setText } from './dom.ts';
import { createReceiptCard, type PlacedBid, type ReceiptCard } from './receipt-card.ts';

/** What every auction page has, whatever the format: the title, the live-feed line, problems, and a body. */
export interface AuctionShell {
  readonly heading: HTMLElement;
  readonly description: HTMLElement;
  readonly connection: HTMLElement;
  readonly problem: HTMLElement;
  readonly body: HTMLElement;
  readonly element: HTMLElement;
}

const CONNECTION_WORDS: Record<ConnectionState, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live updates on',
  reconnecting: 'Live updates lost; reconnecting…',
};

export function createAuctionShell(): AuctionShell {
  const heading = h('h1', { tabindex: -1, 'data-testid': 'auction-title' }, 'Loading auction…');
  const description = h('p', { class: 'lead' });
  const connection = h('p', { class: 'connection', 'data-testid': 'connection' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const body = h('div');
  const element = h('article', { class: 'page' }, heading, description, connection, problem, body);
  return { heading, description, connection, problem, body, element };
}

export function showAuctionTitle(shell: AuctionShell, view: AuctionView): void {
  setText(shell.heading, view.title);
  setText(shell.description, view.description ?? '');
  document.title = `${view.title} · Dutch auctions`;
}

/** GET /auctions/:id (as the member, so a seller sees what only sellers see); null, with the reason shown, when it failed. */
export async function loadAuctionView(
  ctx: AppContext,
  id: string,
  shell: AuctionShell,
  signal: AbortSignal,
): Promise<AuctionView | null> {
  try {
    const view = await fetchAuction(id, signal, ctx.session.get().token);
    ctx.clock.observe(Date.parse(view.serverTime));
    ctx.auctions.remember(view);
    setText(shell.problem, '');
    return view;
  } catch (error) {
    if (!signal.aborted) setText(shell.problem, describeError(error));
    return null;
  }
}

/** Follows the feed, reporting the connection in the shell. */
export function followLiveEvents<E extends FeedEvent>(
  ctx: AppContext,
  id: string,
  shell: AuctionShell,
  handlers: Omit<AuctionEventHandlers<E>, 'onConnection'>,
  signal: AbortSignal,
): void {
  const onConnection = (state: ConnectionState) => setText(shell.connection, CONNECTION_WORDS[state]);
  // Signed in, the feed is read as the member: the seller's own feed then carries the stock.
  const { token } = ctx.session.get();
  followAuctionEvents(id, { ...handlers, onConnection }, signal, token);
}

/** Where the newest bid's receipt shows; its settling lets the page reload what it changed. */
export function createReceiptSlot(ctx: AppContext, onSettled: (receipt: Receipt) => void, signal: AbortSignal) {
  const element = h('div');
  let receipt: AbortController | null = null;
  let card: ReceiptCard | null = null;
  signal.addEventListener('abort', () => receipt?.abort(), { once: true });

  const onAccepted = (bid: PlacedBid) => {
    receipt?.abort(); // the newest bid's receipt replaces the previous one; its row stays in the purchases
    receipt = new AbortController();
    card = createReceiptCard(ctx, bid, onSettled, receipt.signal);
    element.replaceChildren(card.element);
  };
  /** Fresh readings of the viewer's receipts: the card follows its own once it stopped polling. */
  const update = (receipts: readonly Receipt[]) => {
    const fresh = receipts.find((r) => r.id === card?.receiptId);
    if (fresh !== undefined && fresh.status !== 'PENDING') card?.show(fresh);
  };
  return { element, onAccepted, update };
}
