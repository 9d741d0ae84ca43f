/** Hash routes, so the gateway serves one index.html for every page. */
export type Route =
  | { readonly name: 'auctions' }
  | { readonly name: 'auction'; readonly id: string }
  | { readonly name: 'sell' }
  | { readonly name: 'account' }
  | { readonly name: 'not-found'; readonly path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/auctions') return { name: 'auctions' };
  if (path === '/sell') return { name: 'sell' };
  if (path === '/account') return { name: 'account' };
  const auction = /^\/auctions\/([^/]+)$/.exec(path);
  if (auction?.[1] !== undefined) return { name: 'auction', id: decodeURIComponent(auction[1]) };
  return { name: 'not-found', path };
}

export function hrefOf(route: Exclude<Route, { name: 'not-found' }>): string {
  switch (route.name) {
    case 'auctions':
      return '#/';
    case 'auction':
      return `#/auctions/${encodeURIComponent(route.id)}`;
    case 'sell':
      return '#/sell';
    case 'account':
      return '#/account';
  }
}
