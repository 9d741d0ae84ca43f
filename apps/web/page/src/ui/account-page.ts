import { formatPoints } from '../lib/format.ts';
import type { SessionState } from '../state/session.ts';
import { createChargeForm, createSignInForm, createSignUpForm } from './account-forms.ts';
import type { AppContext } from './app-context.ts';
import { h, setText } from './dom.ts';
import { createPurchasesList, type PurchasesList } from './purchases-list.ts';
import { startTicker } from './ticker.ts';
import { createTokenReveal } from './token-reveal.ts';
import { createWatchList } from './watch-list.ts';

/** The member's name and points, kept current while this token is the session's. */
function createMemberLine(ctx: AppContext, state: SessionState, token: string, scope: AbortSignal) {
  const name = h('span', { 'data-testid': 'member-name' }, state.member?.name ?? '…');
  const points = h('span', { 'data-testid': 'member-points' }, state.member ? formatPoints(state.member.points) : '…');
  if (state.member) points.dataset.points = String(state.member.points);
  const held = h('span', { 'data-testid': 'member-held' });
  const showHeld = (heldPoints: number) =>
    setText(held, heldPoints > 0 ? ` · ${formatPoints(heldPoints)} held by your leading bids` : '');
  if (state.member) showHeld(state.member.heldPoints);
  ctx.session.subscribe((next) => {
    if (next.token !== token || next.member === null) return;
    setText(name, next.member.name);
    setText(points, formatPoints(next.member.points));
    points.dataset.points = String(next.member.points);
    showHeld(next.member.heldPoints);
  }, scope);
  return h('p', { class: 'member-line' }, name, ' · ', points, ' points', held);
}

function startPurchases(ctx: AppContext, scope: AbortSignal): PurchasesList {
  const purchases = createPurchasesList(ctx, { heading: 'Your purchases' }, scope);
  startTicker(
    ctx.clock,
    () => null,
    () => purchases.tick(ctx.clock.now()),
    scope,
  );
  void purchases.refresh();
  return purchases;
}

function createSignedIn(ctx: AppContext, state: SessionState, token: string, scope: AbortSignal): HTMLElement[] {
  const memberLine = createMemberLine(ctx, state, token, scope);
  const signOut = h('button', { type: 'button', class: 'secondary', 'data-testid': 'signout-button' }, 'Sign out');
  signOut.addEventListener('click', () => ctx.session.signOut());
  const purchases = startPurchases(ctx, scope);
  return [
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'me-heading' },
      h('h2', { id: 'me-heading' }, 'Signed in'),
      memberLine,
      signOut,
    ),
    createChargeForm(ctx),
    createWatchList(ctx, token, scope),
    purchases.element,
  ];
}

function showSignedOut(ctx: AppContext, reveal: HTMLElement, body: HTMLElement): void {
  reveal.replaceChildren();
  body.replaceChildren(
    createSignUpForm((created) => {
      ctx.session.adopt(created);
      reveal.replaceChildren(createTokenReveal(created.token));
    }),
    createSignInForm(ctx),
  );
}

/** Sign up, sign in with a token, points, the watched auctions, and the purchase history with refunds. */
export function renderAccountPage(ctx: AppContext, signal: AbortSignal): HTMLElement {
  const heading = h('h1', { tabindex: -1 }, 'Account');
  const reveal = h('div');
  const body = h('div', { class: 'stack' });
  let shownFor: string | null | undefined;
  // What the signed-in view starts (subscriptions, polling, ticks) stops when the member changes.
  let section = new AbortController();
  signal.addEventListener('abort', () => section.abort(), { once: true });

  const render = (state: SessionState) => {
    if (state.token === shownFor) return;
    shownFor = state.token;
    section.abort();
    section = new AbortController();
    if (state.token === null) showSignedOut(ctx, reveal, body);
    else body.replaceChildren(...createSignedIn(ctx, state, state.token, section.signal));
  };

  ctx.session.subscribe(render, signal);
  render(ctx.session.get());
  void ctx.session.refresh();
  return h('div', { class: 'page' }, heading, reveal, body);
}
