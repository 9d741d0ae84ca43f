import {
  AuctionCreate,
  AuctionList,
  AuctionListQuery,
  AuctionPatch,
  AuctionView,
  errors,
  IdParam,
} from '@dutch/contract';
import {
  type DbTx,
  draftOf,
  findAuction,
  insertAuction,
  lockAuctionRow,
  updateAuction,
  withdrawAuction,
} from '@dutch/db';
import { checkChangeable, validateAuction } from '@dutch/domain';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { v7 as uuidv7 } from 'uuid';
import { ApiError, fromDomain } from '../api-error.ts';
import { type AppContext, memberIdOf, publish } from '../app-context.ts';
import { optionalMember, requireMember } from '../auth/authenticate.ts';
import type { HonoEnv } from '../hono-env.ts';
import { transactionInTime } from '../http/deadline.ts';
import { auctionView } from '../views/auction-view.ts';
import { type AuctionInput, EMPTY, mergeDraft } from './auction-drafts.ts';
import { listAuctions } from './auction-list.ts';
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
    summary: 'Put stock up for a Dutch auction (the caller is the seller)',
    security: bearer,
    middleware: [auth] as const,
    request: { body: json(AuctionCreate) },
    responses: { 201: jsonResponse(AuctionView, 'The auction'), ...errors(400, 401, 413, 415) },
  });
  app.openapi(route, async (c) => {
    const now = ctx.clock();
    const sellerId = memberIdOf(c);
    const checked = validateAuction(mergeDraft(EMPTY, c.req.valid('json')), now);
    if (!checked.ok) throw fromDomain(checked.error);
    const row = await transactionInTime(c, ctx.db, (tx) => insertAuction(tx, uuidv7(), sellerId, checked.value));
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
    summary: 'List auctions, filtered by status, sorted, paged with a cursor',
    middleware: [viewer] as const,
    request: { query: AuctionListQuery },
    responses: { 200: jsonResponse(AuctionList, 'A page of auctions'), ...errors(400, 401) },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const now = ctx.clock();
    const filter = {
      status: query.status,
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
    const row = await changeAuction(c, ctx, { id, memberId, now, input: c.req.valid('json') });
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
      await lockForChange(tx, id, memberId, now);
      await withdrawAuction(tx, id, now);
    });
    await announceChange(ctx, id);
    return c.body(null, 204);
  });
}

interface Change {
  readonly id: string;
  readonly memberId: string;
  readonly now: number;
  readonly input: AuctionInput;
}

/** Merges the change onto the locked auction and writes it, if the domain accepts the result. */
function changeAuction(c: Context<HonoEnv>, ctx: AppContext, { id, memberId, now, input }: Change) {
  return transactionInTime(c, ctx.db, async (tx) => {
    const current = await lockForChange(tx, id, memberId, now);
    const checked = validateAuction(mergeDraft(draftOf(current), input), now);
    if (!checked.ok) throw fromDomain(checked.error);
    return updateAuction(tx, id, memberId, checked.value, now);
  });
}

/** This process forgets its copy at once; the others, and the live feeds, hear it on the channel. */
async function announceChange(ctx: AppContext, id: string): Promise<void> {
  ctx.auctions.invalidate(id);
  await publish(ctx, { type: 'changed', auctionId: id });
}

/** Loads the auction for a seller's change, in the order the contract checks: 404, 403, 409. */
async function lockForChange(tx: DbTx, id: string, memberId: string, now: number) {
  const row = await lockAuctionRow(tx, id);
  if (row === undefined) throw new ApiError('NOT_FOUND', 'No such auction.');
  if (row.sellerId !== memberId) throw new ApiError('FORBIDDEN', 'Only the seller can change this auction.');
  const changeable = checkChangeable({ startsAt: row.startsAt }, now);
  if (!changeable.ok) throw fromDomain(changeable.error);
  return row;
}
