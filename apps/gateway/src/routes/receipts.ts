import { errors, IdParam, Receipt, RefundAccepted } from '@dutch/contract';
import { checkRefundable } from '@dutch/domain';
import { encodeMessage, queueRefund, refundMarksKey, shardOf, streamKey } from '@dutch/stream';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { v4 as uuidv4 } from 'uuid';
import { ApiError, fromDomain } from '../api-error.ts';
import { type AppContext, memberIdOf } from '../app-context.ts';
import { requireMember } from '../auth/authenticate.ts';
import { knownEndOf } from '../cache/cached-auction.ts';
import type { HonoEnv } from '../hono-env.ts';
import { findReceipt } from './find-receipt.ts';
import { bearer, jsonResponse, router } from './router.ts';

type Router = OpenAPIHono<HonoEnv>;
type Guard = ReturnType<typeof requireMember>;
type FoundReceipt = NonNullable<Awaited<ReturnType<typeof findReceipt>>>;

const notFound = () => new ApiError('NOT_FOUND', 'No such receipt.');

/** The receipt routes, mounted under /receipts. */
export function receiptRoutes(ctx: AppContext) {
  const app = router();
  const auth = requireMember(ctx.tokens);
  addReceiptRoute(app, ctx, auth);
  addRefundRoute(app, ctx, auth);
  return app;
}

function addReceiptRoute(app: Router, ctx: AppContext, auth: Guard): void {
  const route = createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['Receipts'],
    summary: "A bid's receipt (its buyer's or its seller's): PENDING until settled, then the outcome",
    description: 'Receipts of other members answer 404: whether a receipt exists is not theirs to know.',
    security: bearer,
    middleware: [auth] as const,
    request: { params: IdParam },
    responses: { 200: jsonResponse(Receipt, 'The receipt'), ...errors(400, 401, 404) },
  });
  app.openapi(route, async (c) => c.json(await receiptFor(ctx, memberIdOf(c), c.req.valid('param').id), 200));
}

function addRefundRoute(app: Router, ctx: AppContext, auth: Guard): void {
  const route = createRoute({
    method: 'post',
    path: '/{id}/refund',
    tags: ['Receipts'],
    summary: 'Ask for a refund once the auction has ended (the buyer of a PURCHASED or WON receipt)',
    description:
      'Points go back from the seller to the buyer (finalUnitPrice * quantity, or an English amount) and the units ' +
      'back to stock, through the same queue as bids. The receipt may read PURCHASED (or WON) for a moment, then ' +
      'REFUND_PENDING, then REFUNDED (or back to PURCHASED / WON with failureReason SELLER_INSUFFICIENT_POINTS ' +
      'when the seller cannot pay it back yet).',
    security: bearer,
    middleware: [auth] as const,
    request: { params: IdParam },
    responses: { 202: jsonResponse(RefundAccepted, 'Queued'), ...errors(400, 401, 403, 404, 409, 503) },
  });
  app.openapi(route, async (c) => {
    const memberId = memberIdOf(c);
    const receipt = await receiptFor(ctx, memberId, c.req.valid('param').id);
    if (receipt.buyerId !== memberId) throw new ApiError('FORBIDDEN', 'Only the buyer can ask for a refund.');
    await requestRefund(ctx, receipt);
    return c.json({ receiptId: receipt.id, status: 'REFUND_PENDING' as const }, 202);
  });
}

/** The receipt if the member is its buyer or its seller; anyone else gets 404, so existence does not leak. */
async function receiptFor(ctx: AppContext, memberId: string, id: string) {
  const receipt = await findReceipt(ctx.db, ctx.redis, ctx.layout, id);
  if (receipt === null || (receipt.buyerId !== memberId && receipt.sellerId !== memberId)) throw notFound();
  return receipt;
}

/** Queues the buyer's refund if the domain allows it; a refund already queued answers as the domain says. */
async function requestRefund(ctx: AppContext, receipt: FoundReceipt): Promise<void> {
  const auction = await ctx.auctions.get(receipt.auctionId);
  if (auction === null) throw notFound();
  const now = ctx.clock();
  // An English auction's current end, extensions included (a WON receipt means it closed, so the end is final).
  const end = { endsAt: knownEndOf(auction) };
  const refundable = checkRefundable(receipt, end, now);
  if (!refundable.ok) throw fromDomain(refundable.error);
  const queued = await queueRefundOf(ctx, receipt, now);
  if (queued === null) {
    const queuedAlready = checkRefundable({ status: 'REFUND_PENDING' }, end, now);
    if (!queuedAlready.ok) throw fromDomain(queuedAlready.error);
  }
}

function queueRefundOf(ctx: AppContext, receipt: FoundReceipt, now: number) {
  const requestId = uuidv4();
  const shard = shardOf(receipt.auctionId, ctx.layout.shards);
  // No database write: the mark that makes the receipt read REFUND_PENDING goes into Redis in
  // the same script as the entry, so it never outlives (or precedes) the request that clears it.
  return queueRefund(
    ctx.redis,
    { stream: streamKey(ctx.layout, shard), marks: refundMarksKey(ctx.layout, shard) },
    receipt.id,
    requestId,
    encodeMessage({
      kind: 'refund',
      receiptId: receipt.id,
      auctionId: receipt.auctionId,
      buyerId: receipt.buyerId,
      requestId,
      requestedAt: now,
    }),
  );
}
