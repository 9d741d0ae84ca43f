import { formatPoints } from '../lib/format.ts';
import { hrefOf, type Route } from '../lib/routes.ts';
import type { InboxStore } from '../state/inbox.ts';
import type { Session } from '../state/session.ts';
import { createBell } from './bell.ts';
import { h, setText } from './dom.ts';

export interface SiteHeader {
  readonly element: HTMLElement;
  /** Marks the current page's link with aria-current. */
  setRoute(route: Route): void;
}

const LINKS = [
  { name: 'auctions', label: 'Auctions' },
  { name: 'sell', label: 'Sell' },
  { name: 'account', label: 'Account' },
] as const;

/** Skip link, site name, navigation, who is signed in with their points, and their notifications. */
export function createSiteHeader(session: Session, inbox: InboxStore, signal: AbortSignal): SiteHeader {
  const links = LINKS.map((link) => ({ ...link, element: h('a', { href: hrefOf({ name: link.name }) }, link.label) }));
  // The hash is the router's; the skip link moves focus without navigating.
  const skip = h('a', { class: 'skip-link', href: '#main' }, 'Skip to content');
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  });
  const who = h('a', { class: 'who', href: hrefOf({ name: 'account' }), 'data-testid': 'header-member' });
  const element = h(
    'header',
    { class: 'site-header' },
    skip,
    h(
      'div',
      { class: 'site-header-inner' },
      h('a', { class: 'brand', href: hrefOf({ name: 'auctions' }) }, 'Dutch auctions'),
      h('nav', { 'aria-label': 'Main' }, h('ul', {}, ...links.map((l) => h('li', {}, l.element)))),
      who,
      createBell(inbox, signal),
    ),
  );

  const showMember = () => {
    const { member, token } = session.get();
    // Points held by leading English bids are the member's but not spendable: said apart.
    const held = member !== null && member.heldPoints > 0 ? ` (${formatPoints(member.heldPoints)} held)` : '';
    if (member !== null) setText(who, `${member.name} · ${formatPoints(member.points)} points${held}`);
    else setText(who, token === null ? 'Sign in' : 'Signed in');
  };
  session.subscribe(showMember, signal);
  showMember();

  return {
    element,
    setRoute(route) {
      for (const link of links) {
        if (link.name === route.name || (link.name === 'auctions' && route.name === 'auction')) {
          link.element.setAttribute('aria-current', 'page');
        } else link.element.removeAttribute('aria-current');
      }
    },
  };
}
