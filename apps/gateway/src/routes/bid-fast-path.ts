import type { BidCreate } from '@dutch/contract';
import { IDEMPOTENCY_KEY, MAX_BODY_BYTES } from '@dutch/domain';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError, errorBody, handleError, statusOf } from '../api-error.ts';
import type { AppContext } from '../app-context.ts';
import { credentialOf, verifiedMember } from '../auth/authenticate.ts';
import { readBidBody } from '../bids/bid-body.ts';
import { type BidPathDeps, placeBid } from '../bids/place-bid.ts';
import type { HonoEnv } from '../hono-env.ts';
import { declaredLength } from '../http/body-limit.ts';
import type { DeadlineSweep } from '../http/deadline-sweep.ts';
import { requestRecorder } from '../http/metrics.ts';
import { requestIdOf, responseHeaders } from '../http/observe.ts';
import type { RequestSummary } from '../http/request-summary.ts';

export const BID_ROUTE = '/auctions/:id/bids';

/** A bid this gateway can take without the middleware chain: everything it needs is known here. */
interface FastBid {
  readonly auctionId: string;
  readonly buyerId: string;
  readonly body: BidCreate;
  readonly idempotencyKey: string | undefined;
}

export interface FastPathDeps {
  readonly context: AppContext;
  readonly bids: BidPathDeps;
  readonly deadlines: DeadlineSweep;
  /** The aggregated request log (LOG_REQUESTS); null when requests are not logged. */
  readonly summary: RequestSummary | null;
}

/**
 * POST /auctions/:id/bids for the common case, mounted ahead of the middleware chain: a JSON
 * body of the usual shape with a declared length, a token and an auction this gateway already
 * holds. It runs the same placeBid as the route and answers the same bytes (status, body,
 * Location, X-Request-Id, nosniff), only without what the chain does per request that the
 * common case does not need: the validator (readBidBody accepts only what it would), a timer and
 * a race per request (DeadlineSweep bounds the wait), a Headers object per answer, and a log line
 * per request (RequestSummary). Metrics count every request as the chain's observe() does.
 * Anything else (a cold token, an unknown auction, an odd header or body) goes down the chain
 * untouched, which answers it as it always has: the chain stays the definition, this a shortcut.
 */
export function bidFastPath({ context, bids, deadlines, summary }: FastPathDeps): MiddlewareHandler<HonoEnv> {
  const onError = handleError(context.logger);
  const { bidsAccepted } = context.metrics;
  const record = requestRecorder(context.metrics);

  return async (c, next) => {
    const started = performance.now();
    const bid = await readFastBid(c, context);
    if (bid === null) return next();
    const requestId = requestIdOf(c.req.header('x-request-id'));
    let response: Response;
    try {
      const accepted = await deadlines.bound(placeBid(bids, bid));
      bidsAccepted.inc();
      response = new Response(JSON.stringify(accepted), {
        status: 202,
        headers: {
          'content-type': 'application/json',
          location: `/receipts/${accepted.receiptId}`,
          ...responseHeaders(requestId),
        },
      });
    } catch (error) {
      response =
        error instanceof ApiError ? refusal(error, requestId) : await answerFailure(c, error, requestId, onError);
    }
    const ms = performance.now() - started;
    record('POST', BID_ROUTE, response.status, ms / 1000);
    summary?.record(response.status, ms);
    // The summary counts them; a failure is also worth its own line, to follow by request id.
    if (response.status >= 500)
      context.logger.warn({ requestId, route: BID_ROUTE, status: response.status, ms, member: bid.buyerId }, 'request');
    return response;
  };
}

/** A refusal in the contract's error shape, as handleError writes it, with plain headers. */
function refusal(error: ApiError, requestId: string): Response {
  return new Response(JSON.stringify(errorBody(error.code, error.message, error.details)), {
    status: statusOf(error.code),
    headers: { 'content-type': 'application/json', ...responseHeaders(requestId), ...error.headers },
  });
}

/** Anything but a refusal (Redis or Postgres failing, a bug): the app's own error handler decides and logs. */
async function answerFailure(
  c: Context<HonoEnv>,
  error: unknown,
  requestId: string,
  onError: ReturnType<typeof handleError>,
): Promise<Response> {
  for (const [name, value] of Object.entries(responseHeaders(requestId))) c.header(name, value);
  return onError(error instanceof Error ? error : new Error(`non-Error thrown: ${String(error)}`), c);
}

/**
 * The request as a bid this gateway can take at once, or null for the chain: checks in the
 * chain's own terms (body limit, media type, token, idempotency key) that only let through what
 * the chain would let through, then the body.
 */
async function readFastBid(c: Context<HonoEnv>, { tokens, auctions }: AppContext): Promise<FastBid | null> {
  const type = c.req.header('content-type');
  if (type === undefined || !(type === 'application/json' || type.startsWith('application/json;'))) return null;
  const length = declaredLength(c);
  if (length === null || !(length <= MAX_BODY_BYTES)) return null;
  const idempotencyKey = c.req.header('idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) return null;
  // The auction first: a request the chain will take anyway should not pay for hashing its secret twice.
  const auctionId = c.req.param('id');
  if (auctionId === undefined || auctions.peek(auctionId) === undefined) return null;
  const buyerId = knownMemberOf(c.req.header('authorization'), tokens);
  if (buyerId === null) return null;
  const body = readBidBody(await c.req.text());
  return body === null ? null : { auctionId, buyerId, body, idempotencyKey };
}

/** The member of a token this gateway holds, live, whose secret matches; null for anything else. */
function knownMemberOf(header: string | undefined, tokens: AppContext['tokens']): string | null {
  const credential = credentialOf(header);
  return credential === null ? null : (verifiedMember(credential, tokens.peek(credential.tokenId))?.id ?? null);
}
