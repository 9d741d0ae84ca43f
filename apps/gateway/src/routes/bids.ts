import { BidAccepted, BidCreate, errors, IdempotencyKeyParameter, IdParam } from '@dutch/contract';
import { IDEMPOTENCY_KEY } from '@dutch/domain';
import { createRoute } from '@hono/zod-openapi';
import { ApiError } from '../api-error.ts';
import { type AppContext, memberIdOf } from '../app-context.ts';
import { requireMember } from '../auth/authenticate.ts';
import { type BidPathDeps, placeBid } from '../bids/place-bid.ts';
import { bearer, json, jsonResponse, router } from './router.ts';

/** The bid route, mounted under /auctions: the definition of POST /bids (see bid-fast-path.ts for its shortcut). */
export function bidRoutes(ctx: AppContext, deps: BidPathDeps) {
  const app = router();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/bids',
      tags: ['Bids'],
      summary: 'Bid: answered 202 with a receipt before anything is written to the database',
      description:
        'Dutch auction: `{quantity, maxPrice}`; the buyer pays `unitPrice`, the price at `acceptedAt` by the gateway ' +
        'clock, never more than `maxPrice`. English auction: `{amount}`; it leads if it is at least `minNextBid` when ' +
        'it settles and the buyer can hold it (refused at once with BID_TOO_LOW when below `minNextBid` as the gateway ' +
        "knows it). The other format's body is a 400. " +
        'The bid settles asynchronously, in order of acceptance; poll the receipt for the outcome. ' +
        'Send an `Idempotency-Key` to retry safely: the same key from the same buyer returns the same receipt for 24 h.',
      security: bearer,
      middleware: [requireMember(ctx.tokens)] as const,
      parameters: [IdempotencyKeyParameter],
      request: { params: IdParam, body: json(BidCreate) },
      responses: {
        202: {
          ...jsonResponse(BidAccepted, 'Accepted and queued; the receipt is PENDING until settled'),
          headers: { Location: { description: '/receipts/<receiptId>', schema: { type: 'string' } } },
        },
        ...errors(400, 401, 404, 409, 413, 415, 429, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const accepted = await placeBid(deps, {
        auctionId: id,
        buyerId: memberIdOf(c),
        body: c.req.valid('json'),
        idempotencyKey: idempotencyKeyOf(c.req.header('idempotency-key')),
      });
      ctx.metrics.bidsAccepted.inc();
      c.header('Location', `/receipts/${accepted.receiptId}`);
      return c.json(accepted, 202);
    },
  );

  return app;
}

function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined || IDEMPOTENCY_KEY.test(header)) return header;
  throw new ApiError('INVALID_REQUEST', 'idempotency-key: must be 1-255 visible ASCII characters', [
    { field: 'idempotency-key', rule: 'idempotency_key_format', message: 'must be 1-255 visible ASCII characters' },
  ]);
}
