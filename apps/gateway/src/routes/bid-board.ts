import { BidBoard, BidBoardQuery, type BidBoardRow, errors, IdParam } from '@dutch/contract';
import { type BidBoardRow as BoardRow, findAuction, findBidBoardPage } from '@dutch/db';
import { canSeeStock, maskName } from '@dutch/domain';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ApiError } from '../api-error.ts';
import type { AppContext } from '../app-context.ts';
import { optionalMember } from '../auth/authenticate.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import type { AuctionRow } from '../views/auction-view.ts';
import { jsonResponse, router } from './router.ts';

/** A board cursor: the last position shown (settle_seq, a bigint that stays a safe integer). */
const Cursor = z.object({ p: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/** The public board of an auction's settled bids, mounted under /auctions. */
export function bidBoardRoutes(ctx: AppContext) {
  const app = router();
  const route = createRoute({
    method: 'get',
    path: '/{id}/bids',
    tags: ['Bids'],
    summary: "An auction's settled bids in settlement order: who came first (public)",
    description:
      'Each settled bid with its position (the stream order, first accepted first served), the bidder as a masked ' +
      'name (first and last character), never an id, when it was accepted (to the millisecond) and its outcome. ' +
      'Dutch rows show quantity and unitPrice, English rows the amount. On a hidden-stock auction only the seller ' +
      "sees quantities. With a token, `mine` marks the caller's rows. Bids still PENDING are not on the board yet.",
    middleware: [optionalMember(ctx.tokens)] as const,
    request: { params: IdParam, query: BidBoardQuery },
    responses: { 200: jsonResponse(BidBoard, 'A page of the board'), ...errors(400, 401, 404) },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const limit = query.limit ?? 20;
    const after = query.cursor === undefined ? 0 : decodeCursor(query.cursor, Cursor).p;
    const auction = await findAuction(ctx.db, id);
    if (auction === undefined) throw new ApiError('NOT_FOUND', 'No such auction.');
    const rows = await findBidBoardPage(ctx.db, id, { afterPosition: after, limit });
    const viewerId = c.get('member')?.id ?? null;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = rows.length > limit && last !== undefined ? encodeCursor({ p: last.position }) : null;
    return c.json({ items: page.map((row) => boardRow(row, auction, viewerId)), nextCursor }, 200);
  });
  return app;
}

/** One row as a viewer sees it: the name masked, quantities only for those who may know the stock. */
function boardRow(row: BoardRow, auction: AuctionRow, viewerId: string | null): BidBoardRow {
  const common = {
    position: row.position,
    bidder: maskName(row.name),
    acceptedAt: new Date(row.acceptedAt).toISOString(),
    status: row.status,
  };
  const mine = viewerId !== null && row.buyerId === viewerId;
  // An English receipt is a one-lot purchase at the amount bid.
  if (row.format === 'english') return { ...common, amount: row.unitPrice, mine };
  const quantity = canSeeStock(auction, viewerId) ? { quantity: row.quantity } : {};
  return { ...common, ...quantity, unitPrice: row.unitPrice, mine };
}
