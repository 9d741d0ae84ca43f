import {
  AuctionCreate,
  AuctionList,
  AuctionListQuery,
  AuctionPatch,
  AuctionView,
  errors,
  IdParam,
} from '@dutch/contract';
import { type DbTx, insertAuction, lockAuctionRow, priceDropOf, updateAuction, withdrawAuction } from '@dutch/db';
import { type AuctionDraft, checkChangeable, validateAuction } from '@dutch/domain';
import { createRoute } from '@hono/zod-openapi';
import { v7 as uuidv7 } from 'uuid';
import { type AppContext, memberIdOf, publish } from '../app-context.ts';
import { optionalMember, requireMember } from '../auth/authenticate.ts';
import { ApiError, fromDomain } from '../api-error.ts';
import { transactionInTime } from '../http/deadline.ts';
import { type AuctionRow, auctionView } from '../views/auction-view.ts';
import { listAuctions } from './auction-list.ts';
import { findAuction } from './find-auction.ts';
import { bearer, json, jsonResponse, router } from './router.ts';

type AuctionInput = Partial<typeof AuctionCreate._output>;

/** The draft a row stands for: what PATCH merges onto. */
function draftOf(row: AuctionRow): AuctionDraft {
  return {
    title: row.title,
    description: row.description,
    startPrice: row.startPrice,
    floorPrice: row.floorPrice,
    priceDrop: priceDropOf(row.dropKind, row.dropValue),
    dropIntervalSeconds: row.dropIntervalSeconds,
    startsAt: row.startsAt.getTime(),
    endsAt: row.endsAt.getTime(),
    stock: row.initialStock,
    perBuyerLimit: row.perBuyerLimit,
    showStock: row.showStock,
  };
}

function mergeDraft(base: AuctionDraft, input: AuctionInput): AuctionDraft {
  return {
    title: input.title ?? base.title,
    description: input.description ?? base.description,
    startPrice: input.startPrice ?? base.startPrice,
    floorPrice: input.floorPrice === undefined ? base.floorPrice : input.floorPrice,
    priceDrop: input.priceDrop ?? base.priceDrop,
    dropIntervalSeconds: input.dropIntervalSeconds ?? base.dropIntervalSeconds,
    startsAt: input.startsAt === undefined ? base.startsAt : Date.parse(input.startsAt),
    endsAt: input.endsAt === undefined ? base.endsAt : Date.parse(input.endsAt),
    stock: input.stock ?? base.stock,
    perBuyerLimit: input.perBuyerLimit ?? base.perBuyerLimit,
    showStock: input.showStock ?? base.showStock,
  };
}

const EMPTY: AuctionDraft = {
  title: '',
  description: '',
  startPrice: 0,
  floorPrice: null,
  priceDrop: { kind: 'constant', amount: 0 },
  dropIntervalSeconds: 0,
  startsAt: Number.NaN,
  endsAt: Number.NaN,
  stock: 0,
  perBuyerLimit: 0,
  showStock: true,
};

export function auctionRoutes(ctx: AppContext) {
  const app = router();
  const auth = requireMember(ctx.tokens);
  const viewer = optionalMember(ctx.tokens);

  /** Loads the auction for a seller's change, in the order the contract checks: 404, 403, 409. */
  async function lockForChange(tx: DbTx, id: string, memberId: string, now: number) {
    const row = await lockAuctionRow(tx, id);
    if (row === undefined) throw new ApiError('NOT_FOUND', 'No such auction.');
    if (row.sellerId !== memberId) throw new ApiError('FORBIDDEN', 'Only the seller can change this auction.');
    const changeable = checkChangeable({ startsAt: row.startsAt.getTime() }, now);
    if (!changeable.ok) throw fromDomain(changeable.error);
    return row;
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auctions',
      tags: ['Auctions'],
      summary: 'Put stock up for a Dutch auction (the caller is the seller)',
      security: bearer,
      middleware: [auth] as const,
      request: { body: json(AuctionCreate) },
      responses: { 201: jsonResponse(AuctionView, 'The auction'), ...errors(400, 401, 413, 415) },
    }),
    async (c) => {
      const now = ctx.clock();
      const sellerId = memberIdOf(c);
      const checked = validateAuction(mergeDraft(EMPTY, c.req.valid('json')), now);
      if (!checked.ok) throw fromDomain(checked.error);
      const row = await transactionInTime(c, ctx.db, (tx) => insertAuction(tx, uuidv7(), sellerId, checked.value));
      await publish(ctx, { type: 'changed', auctionId: row.id });
      c.header('Location', `/auctions/${row.id}`);
      return c.json(auctionView(row, now, sellerId), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/auctions',
      tags: ['Auctions'],
      summary: 'List auctions, filtered by status, sorted, paged with a cursor',
      middleware: [viewer] as const,
      request: { query: AuctionListQuery },
      responses: { 200: jsonResponse(AuctionList, 'A page of auctions'), ...errors(400, 401) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const now = ctx.clock();
      const page = await listAuctions(
        ctx.db,
        {
          status: query.status,
          sort: query.sort ?? 'startsAt',
          limit: query.limit ?? 20,
          cursor: query.cursor,
        },
        now,
      );
      const viewerId = c.get('member')?.id ?? null;
      return c.json(
        { items: page.rows.map((row) => auctionView(row, now, viewerId)), nextCursor: page.nextCursor },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/auctions/{id}',
      tags: ['Auctions'],
      summary: 'One auction, with its price and status at serverTime',
      middleware: [viewer] as const,
      request: { params: IdParam },
      responses: { 200: jsonResponse(AuctionView, 'The auction'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await findAuction(ctx.db, id);
      if (row === undefined) throw new ApiError('NOT_FOUND', 'No such auction.');
      return c.json(auctionView(row, ctx.clock(), c.get('member')?.id ?? null), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/auctions/{id}',
      tags: ['Auctions'],
      summary: 'Change any subset of the fields, while the auction is scheduled (seller only)',
      security: bearer,
      middleware: [auth] as const,
      request: { params: IdParam, body: json(AuctionPatch) },
      responses: {
        200: jsonResponse(AuctionView, 'The auction after the change'),
        ...errors(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const memberId = memberIdOf(c);
      const now = ctx.clock();
      const row = await transactionInTime(c, ctx.db, async (tx) => {
        const current = await lockForChange(tx, id, memberId, now);
        const checked = validateAuction(mergeDraft(draftOf(current), input), now);
        if (!checked.ok) throw fromDomain(checked.error);
        return updateAuction(tx, id, memberId, checked.value, now);
      });
      if (row === undefined) throw new ApiError('NOT_FOUND', 'No such auction.');
      ctx.auctions.invalidate(id);
      await publish(ctx, { type: 'changed', auctionId: id });
      return c.json(auctionView(row, now, memberId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/auctions/{id}',
      tags: ['Auctions'],
      summary: 'Withdraw an auction before it starts (seller only)',
      security: bearer,
      middleware: [auth] as const,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const memberId = memberIdOf(c);
      const now = ctx.clock();
      await transactionInTime(c, ctx.db, async (tx) => {
        await lockForChange(tx, id, memberId, now);
        await withdrawAuction(tx, id, now);
      });
      ctx.auctions.invalidate(id);
      await publish(ctx, { type: 'changed', auctionId: id });
      return c.body(null, 204);
    },
  );

  return app;
}
