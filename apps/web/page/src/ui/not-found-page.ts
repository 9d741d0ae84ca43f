import { hrefOf } from '../lib/routes.ts';
import { h } from './dom.ts';

export function renderNotFoundPage(path: string): HTMLElement {
  return h(
    'div',
    { class: 'page' },
    h('h1', { tabindex: -1 }, 'Page not found'),
    h(
      'p',
      {},
      `There is no page at ${path}. `,
      h('a', { href: hrefOf({ name: 'auctions' }) }, 'See the auctions'),
      '.',
    ),
  );
}
