import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorBody } from '@dutch/gateway/api-error';
import { Hono } from 'hono';
import { getMimeType } from 'hono/utils/mime';

/** Where `npm run build:web` writes the live page (apps/web/page/dist). */
const DEFAULT_DIST = fileURLToPath(new URL('../page/dist/', import.meta.url));

/** Vite's output names: [name]-[hash].[ext]. Anything else (dots first, slashes, %) is not ours. */
const ASSET_NAME = /^[\w-]+(\.[\w-]+)+$/;

const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  // Revalidate the page on every load so a new build is picked up; its assets never change.
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
} as const;

const NOT_BUILT =
  'The live page has not been built yet. Run `npm run build:web` (npm start does it first), then reload.\n';

export interface WebRoutesOptions {
  /** The built page; defaults to apps/web/page/dist. */
  readonly distDir?: string;
}

/**
 * The live auction page: GET / (index.html) and its hashed assets under /assets/, read from the
 * Vite build. Assets are immutable by name, so they are cached in memory and by browsers for a
 * year; index.html is read on each request so a rebuild shows without a restart.
 */
export function webRoutes(options: WebRoutesOptions = {}): Hono {
  const dist = options.distDir ?? DEFAULT_DIST;
  const assets = new Map<string, Uint8Array<ArrayBuffer>>();
  const app = new Hono();

  app.get('/', async (c) => {
    const html = await readFile(join(dist, 'index.html')).catch(() => null);
    if (html === null) return c.text(NOT_BUILT, 503, { 'Cache-Control': 'no-store', 'Retry-After': '10' });
    return c.body(new Uint8Array(html), 200, HTML_HEADERS);
  });

  app.get('/assets/:name', async (c) => {
    const name = c.req.param('name');
    let body = assets.get(name);
    if (body === undefined && ASSET_NAME.test(name)) {
      const file = await readFile(join(dist, 'assets', name)).catch(() => null);
      if (file !== null) {
        body = new Uint8Array(file);
        assets.set(name, body);
      }
    }
    if (body === undefined) return c.json(errorBody('NOT_FOUND', `No asset named ${name}.`), 404);
    return c.body(body, 200, {
      'Content-Type': getMimeType(name) ?? 'application/octet-stream',
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  return app;
}
