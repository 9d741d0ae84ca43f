import { errors, IdParam, Watch, WatchList, WatchListQuery, WatchPut } from '@dutch/contract';
import { deleteWatch, findAuction, findWatchPage, upsertWatch } from '@dutch/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { ApiError } from '../api-error.ts';
import { type AppContext, memberIdOf } from '../app-context.ts';
import { requireMember } from '../auth/authenticate.ts';
import type { HonoEnv } from '../hono-env.ts';
import { cursorNumber, decodeCursor, encodeCursor } from '../http/cursor.ts';
import { auctionView } from '../views/auction-view.ts';
import { bearer, jsonResponse, router } from './router.ts';

type Router = OpenAPIHono<HonoEnv>;
type Guard = ReturnType<typeof requireMember>;

const iso = (ms: number) => new Date(ms).toISOString();
const notFound = () => new ApiError('NOT_FOUND', 'No such auction.');

/** Watching an auction, mounted under /auctions. */
export function watchRoutes(ctx: AppContext) {
  const app = router();
  const auth = requireMember(ctx.tokens);
  addWatchRoute(app, ctx, auth);
  addUnwatchRoute(app, ctx, auth);
  return app;
}

/** The caller's watches, mounted under /members. */
export function watchListRoutes(ctx: AppContext) {
  const app = router();
  addWatchListRoute(app, ctx, requireMember(ctx.tokens));
  return app;
}

function addWatchRoute(app: Router, ctx: AppContext, auth: Guard): void {
  const route = createRoute({
    method: 'put',
    path: '/{id}/watch',
    tags: ['Watches'],
    summary: 'Watch an auction (or change the alert price of a watch)',
    description:
      'Notifications follow: auction_starting when it starts, price_alert (Dutch) once the price is at or below ' +
      'alertPrice, ending_soon (English) with 60 s left. An alert price on an English auction is a 400 (its price ' +
      'only rises). The body may be left out: a watch without an alert price.',
    security: bearer,
    middleware: [auth] as const,
    request: {
      params: IdParam,
      body: { content: { 'application/json': { schema: WatchPut } }, required: false },
    },
    responses: { 200: jsonResponse(Watch, 'The watch'), ...errors(400, 401, 404, 413, 415) },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const alertPrice = (c.req.valid('json') as WatchPut | undefined)?.alertPrice ?? null;
    const auction = await findAuction(ctx.db, id);
    if (auction === undefined) throw notFound();
    if (auction.format === 'english' && alertPrice !== null) {
      const message = 'only a Dutch auction has a falling price to alert on';
      throw new ApiError('INVALID_REQUEST', `alertPrice: ${message}`, [
        { field: 'alertPrice', rule: 'dutch_only', message },
      ]);
    }
    const watch = await upsertWatch(ctx.db, { memberId: memberIdOf(c), auctionId: id, alertPrice, now: ctx.clock() });
    // Withdrawn between the read and the write.
    if (watch === undefined) throw notFound();
    return c.json({ auctionId: watch.auctionId, alertPrice: watch.alertPrice, createdAt: iso(watch.createdAt) }, 200);
  });
}

function addUnwatchRoute(app: Router, ctx: AppContext, auth: Guard): void {
  const route = createRoute({
    method: 'delete',
    path: '/{id}/watch',
    tags: ['Watches'],
    summary: 'Stop watching an auction',
    description:
      "204 whether or not the caller watched it (also for a withdrawn auction's watch): the watch is gone " +
      'either way. Notifications already stored stay in the inbox.',
    security: bearer,
    middleware: [auth] as const,
    request: { params: IdParam },
    responses: { 204: { description: 'Not watched (any more)' }, ...errors(400, 401) },
  });
  app.openapi(route, async (c) => {
    await deleteWatch(ctx.db, memberIdOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}

const Cursor = z.object({ at: cursorNumber, id: z.uuid() });

function addWatchListRoute(app: Router, ctx: AppContext, auth: Guard): void {
  const route = createRoute({
    method: 'get',
    path: '/me/watches',
    tags: ['Watches'],
    summary: "The caller's watched auctions, newest watch first, each with the auction's current view",
    description: 'Watches of withdrawn auctions are left out.',
    security: bearer,
    middleware: [auth] as const,
    request: { query: WatchListQuery },
    responses: { 200: jsonResponse(WatchList, 'A page of watches'), ...errors(400, 401) },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const limit = query.limit ?? 20;
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, Cursor);
    const memberId = memberIdOf(c);
    const before = cursor === null ? null : { at: cursor.at, auctionId: cursor.id };
    const rows = await findWatchPage(ctx.db, memberId, { before, limit });
    const now = ctx.clock();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > limit && last !== undefined ? encodeCursor({ at: last.createdAt, id: last.auctionId }) : null;
    const items = page.map((row) => ({
      auctionId: row.auctionId,
      alertPrice: row.alertPrice,
      createdAt: iso(row.createdAt),
      auction: auctionView(row.auction, now, memberId),
    }));
    return c.json({ items, nextCursor }, 200);
  });
}
