import {
  AuctionCreate,
  AuctionList,
  AuctionListQuery,
  AuctionPatch,
  AuctionView,
  errors,
  IdParam,
} from '@dutch/contract';
import { findAuction, withdrawAuction } from '@dutch/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { v7 as uuidv7 } from 'uuid';
import { ApiError } from '../api-error.ts';
import { type AppContext, memberIdOf, publish } from '../app-context.ts';
import { optionalMember, requireMember } from '../auth/authenticate.ts';
import type { HonoEnv } from '../hono-env.ts';
import { transactionInTime } from '../http/deadline.ts';
import { auctionView } from '../views/auction-view.ts';
import { listAuctions } from './auction-list.ts';
import { changeLocked, lockForWithdrawal, prepareInsert } from './auction-writes.ts';
import { bearer, json, jsonResponse, router } from './router.ts';

type Router = OpenAPIHono<HonoEnv>;
type Guard = ReturnType<typeof requireMember>;

/** The auction routes, mounted under /auctions. */
export function auctionRoutes(ctx: AppContext) {
  const app = router();
  const auth = requireMember(ctx.tokens);
  const viewer = optionalMember(ctx.tokens);
  addCreateRoute(app, ctx, auth);
  addListRoute(app, ctx, viewer);
  addGetRoute(app, ctx, viewer);
  addChangeRoute(app, ctx, auth);
  addWithdrawRoute(app, ctx, auth);
  return app;
}

function addCreateRoute(app: Router, ctx: AppContext, auth: Guard): void {
  const route = createRoute({
    method: 'post',
    path: '/',
    tags: ['Auctions'],
    summary: 'Put something up for auction (the caller is the seller)',
    description:
      'Without `format` (or with "dutch"): a Dutch auction, the price stepping down over time, with `pricing` ' +
      'pay_as_bid (the default) or uniform. With `format: "english"`: one lot, the price going up by bids. ' +
      "The other format's fields are a 400.",
    security: bearer,
    middleware: [auth] as const,
    request: { body: json(AuctionCreate) },
    responses: { 201: jsonResponse(AuctionView, 'The auction'), ...errors(400, 401, 413, 415) },
  });
  app.openapi(route, async (c) => {
    const now = ctx.clock();
    const sellerId = memberIdOf(c);
    const insert = prepareInsert(c.req.valid('json'), now);
    const row = await transactionInTime(c, ctx.db, (tx) => insert(tx, uuidv7(), sellerId));
    await publish(ctx, { type: 'changed', auctionId: row.id });
    c.header('Location', `/auctions/${row.id}`);
    return c.json(auctionView(row, now, sellerId), 201);
  });
}

function addListRoute(app: Router, ctx: AppContext, viewer: Guard): void {
  const route = createRoute({
    method: 'get',
    path: '/',
    tags: ['Auctions'],
    summary: 'List auctions, filtered by status and format, sorted, paged with a cursor',
    middleware: [viewer] as const,
    request: { query: AuctionListQuery },
    responses: { 200: jsonResponse(AuctionList, 'A page of auctions'), ...errors(400, 401) },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const now = ctx.clock();
    const filter = {
      status: query.status,
      format: query.format,
      sort: query.sort ?? 'startsAt',
      limit: query.limit ?? 20,
      cursor: query.cursor,
    };
    const page = await listAuctions(ctx.db, filter, now);
    const viewerId = c.get('member')?.id ?? null;
    return c.json({ items: page.rows.map((row) => auctionView(row, now, viewerId)), nextCursor: page.nextCursor }, 200);
  });
}

function addGetRoute(app: Router, ctx: AppContext, viewer: Guard): void {
  const route = createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['Auctions'],
    summary: 'One auction, with its price and status at serverTime',
    middleware: [viewer] as const,
    request: { params: IdParam },
    responses: { 200: jsonResponse(AuctionView, 'The auction'), ...errors(400, 401, 404) },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const row = await findAuction(ctx.db, id);
    if (row === undefined) throw new ApiError('NOT_FOUND', 'No such auction.');
    return c.json(auctionView(row, ctx.clock(), c.get('member')?.id ?? null), 200);
  });
}

function addChangeRoute(app: Router, ctx: AppContext, auth: Guard): void {
  const route = createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['Auctions'],
    summary: 'Change any subset of the fields, while the auction is scheduled (seller only)',
    description: "The fields of the auction's own format; `format` itself cannot change (400).",
    security: bearer,
    middleware: [auth] as const,
    request: { params: IdParam, body: json(AuctionPatch) },
    responses: {
      200: jsonResponse(AuctionView, 'The auction after the change'),
      ...errors(400, 401, 403, 404, 409, 413, 415),
    },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const memberId = memberIdOf(c);
    const now = ctx.clock();
    const input = c.req.valid('json');
    const row = await transactionInTime(c, ctx.db, (tx) => changeLocked(tx, { id, memberId, now, input }));
    if (row === undefined) throw new ApiError('NOT_FOUND', 'No such auction.');
    await announceChange(ctx, id);
    return c.json(auctionView(row, now, memberId), 200);
  });
}

function addWithdrawRoute(app: Router, ctx: AppContext, auth: Guard): void {
  const route = createRoute({
    method: 'delete',
    path: '/{id}',
    tags: ['Auctions'],
    summary: 'Withdraw an auction before it starts (seller only)',
    security: bearer,
    middleware: [auth] as const,
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 403, 404, 409) },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const memberId = memberIdOf(c);
    const now = ctx.clock();
    await transactionInTime(c, ctx.db, async (tx) => {
      await lockForWithdrawal(tx, id, memberId, now);
      await withdrawAuction(tx, id, now);
    });
    await announceChange(ctx, id);
    return c.body(null, 204);
  });
}

/** This process forgets its copy at once; the others, and the live feeds, hear it on the channel. */
async function announceChange(ctx: AppContext, id: string): Promise<void> {
  ctx.auctions.invalidate(id);
  await publish(ctx, { type: 'changed', auctionId: id });
}
