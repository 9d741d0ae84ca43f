import type { Context } from 'hono';

interface NodeBindings {
  readonly incoming?: { readonly socket?: { readonly remoteAddress?: string } };
}

/**
 * The peer address of the request's socket, or 'unknown' when there is none (app.request in
 * tests, or a socket already gone). Behind a proxy this is the proxy: caps keyed on it then
 * apply to the proxy as a whole. X-Forwarded-For is deliberately not read: any client can
 * write it, so limits keyed on it would be moot.
 */
export function clientAddressOf(c: Context): string {
  const bindings = c.env as NodeBindings | undefined;
  return bindings?.incoming?.socket?.remoteAddress ?? 'unknown';
}
