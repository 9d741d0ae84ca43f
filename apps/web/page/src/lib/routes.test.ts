import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute } from './routes.ts';

describe('parseRoute', () => {
  it.each([
    ['', { name: 'auctions' }],
    ['#', { name: 'auctions' }],
    ['#/', { name: 'auctions' }],
    ['#/auctions/', { name: 'auctions' }],
    ['#/auctions/0b6f3c1e-1', { name: 'auction', id: '0b6f3c1e-1' }],
    ['#/sell', { name: 'sell' }],
    ['#/account/', { name: 'account' }],
    ['#/auctions/a/b', { name: 'not-found', path: '/auctions/a/b' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('round-trips hrefs', () => {
    const route = { name: 'auction', id: 'x y' } as const;
    expect(parseRoute(hrefOf(route))).toEqual(route);
  });
});
