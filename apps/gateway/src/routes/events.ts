import { errors, IdParam } from '@dutch/contract';
import { findAuction } from '@dutch/db';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { ApiError } from '../api-error.ts';
import type { AppContext } from '../app-context.ts';
import { optionalMember } from '../auth/authenticate.ts';
import type { CachedAuction } from '../cache/auction-cache.ts';
import type { HonoEnv } from '../hono-env.ts';
import type { OpenConnections } from '../live/connections.ts';
import type { FeedEvent } from '../live/feeds.ts';
import { auctionView } from '../views/auction-view.ts';
import { router } from './router.ts';
import { claimConnection } from './stream-slot.ts';

/** The live stream of an auction, mounted under /auctions. */
export function eventRoutes(ctx: AppContext, connections: OpenConnections) {
  const app = router();
  const route = createRoute({
    method: 'get',
    path: '/{id}/events',
    tags: ['Auctions'],
    summary: 'Live updates (Server-Sent Events)',
    description:
      'First a `snapshot` (the auction view), then, on a Dutch auction, `stock` {stock, soldCount} (only to those ' +
      'who see the stock: everyone when showStock is true, else the seller, who sends `Authorization: Bearer`), ' +
      '`price` {currentPrice, nextPrice, nextDropAt} at each drop; on an English auction `bid` {highBid, bidCount, ' +
      'minNextBid, endsAt, reserveMet} after each leading bid and `extended` {endsAt} when a soft close moves the end; ' +
      'on both, `status` {status}, `closed` {status, closedAt, winnerId and finalPrice (English) or clearingPrice ' +
      '(Dutch)} once the close settles, and a fresh `snapshot` after the seller edits it. The reserve price is never ' +
      'sent to anyone but the seller. ' +
      'Every event has an id; a client reconnecting with Last-Event-ID gets a fresh snapshot. A comment line every ' +
      '15 s keeps proxies from closing it. Each client address may hold SSE_MAX_CONNECTIONS_PER_CLIENT streams at once.',
    middleware: [optionalMember(ctx.tokens)] as const,
    request: { params: IdParam },
    responses: {
      200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...errors(400, 401, 404, 429),
    },
  });
  app.openapi(route, async (c) => {
    const release = claimConnection(c, ctx, connections);
    try {
      return await openStream(c, ctx, connections, { id: c.req.valid('param').id, release });
    } catch (error) {
      release();
      throw error;
    }
  });
  return app;
}

interface Viewing {
  readonly id: string;
  /** Gives the connection slot back, once the stream ends. */
  readonly release: () => void;
}

async function openStream(c: Context<HonoEnv>, ctx: AppContext, connections: OpenConnections, viewing: Viewing) {
  const { id, release } = viewing;
  const viewerId = c.get('member')?.id ?? null;
  const auction = await ctx.auctions.get(id);
  const row = auction === null ? undefined : await findAuction(ctx.db, id);
  if (auction === null || row === undefined) throw new ApiError('NOT_FOUND', 'No such auction.');
  const snapshot = auctionView(row, ctx.clock(), viewerId);
  c.header('Cache-Control', 'no-store');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    try {
      await follow({ ctx, connections, stream }, auction, viewerId, snapshot);
    } finally {
      release();
    }
  });
}

interface Follower {
  readonly ctx: AppContext;
  readonly connections: OpenConnections;
  readonly stream: SSEStreamingApi;
}

/** Sends the snapshot, then the feed's events, until the client leaves, the auction goes or the gateway stops. */
async function follow(
  { ctx, connections, stream }: Follower,
  auction: CachedAuction,
  viewerId: string | null,
  snapshot: unknown,
) {
  let sequence = 0;
  const send = (event: string, data: unknown) =>
    stream.writeSSE({ event, data: JSON.stringify(data), id: `${ctx.clock()}-${++sequence}` }).catch(() => {});

  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  await send('snapshot', snapshot);
  const unsubscribe = ctx.feeds.subscribe(auction, viewerId, (event: FeedEvent) => {
    if (event.event === 'gone') done();
    else void send(event.event, event.data);
  });
  const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n').catch(() => {}), ctx.config.sseHeartbeatMs);
  const forget = connections.add(done);
  stream.onAbort(done);
  await finished;
  clearInterval(heartbeat);
  unsubscribe();
  forget();
}
