import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { AppContext } from '../app-context.ts';
import { optionalMember } from '../auth/authenticate.ts';
import { ApiError } from '../errors.ts';
import type { OpenConnections } from '../live/connections.ts';
import type { FeedEvent } from '../live/feeds.ts';
import { errors, IdParam } from '../schemas.ts';
import { auctionView } from '../views/auction-view.ts';
import { findAuction } from './find-auction.ts';
import { router } from './router.ts';

export function eventRoutes(ctx: AppContext, connections: OpenConnections) {
  const app = router();

  async function currentView(id: string, viewerId: string | null) {
    const row = await findAuction(ctx.db, id);
    return row === undefined ? null : auctionView(row, ctx.clock(), viewerId);
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/auctions/{id}/events',
      tags: ['Auctions'],
      summary: 'Live updates (Server-Sent Events)',
      description:
        'First a `snapshot` (the auction view), then `stock` {stock, soldCount} (left out when showStock is false), ' +
        '`status` {status} and `price` {currentPrice, nextPrice, nextDropAt} at each drop. Every event has an id; a ' +
        'client reconnecting with Last-Event-ID gets a fresh snapshot. A comment line every 15 s keeps proxies from closing it.',
      middleware: [optionalMember(ctx.tokens)] as const,
      request: { params: IdParam },
      responses: {
        200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...errors(400, 401, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const viewerId = c.get('member')?.id ?? null;
      const auction = await ctx.auctions.get(id);
      const snapshot = auction === null ? null : await currentView(id, viewerId);
      if (auction === null || snapshot === null) throw new ApiError('NOT_FOUND', 'No such auction.');
      c.header('Cache-Control', 'no-store');
      c.header('X-Accel-Buffering', 'no');

      return streamSSE(c, async (stream) => {
        let sequence = 0;
        const send = (event: string, data: unknown) =>
          stream.writeSSE({ event, data: JSON.stringify(data), id: `${ctx.clock()}-${++sequence}` }).catch(() => {});

        let done: () => void = () => {};
        const finished = new Promise<void>((resolve) => {
          done = resolve;
        });
        await send('snapshot', snapshot);
        const unsubscribe = ctx.feeds.subscribe(auction, (event: FeedEvent) => {
          if (event.event !== 'changed') {
            void send(event.event, event.data);
            return;
          }
          void currentView(id, viewerId).then((view) => (view === null ? done() : send('snapshot', view)));
        });
        const heartbeat = setInterval(
          () => void stream.write(': heartbeat\n\n').catch(() => {}),
          ctx.config.sseHeartbeatMs,
        );
        const forget = connections.add(done);
        stream.onAbort(done);
        await finished;
        clearInterval(heartbeat);
        unsubscribe();
        forget();
      });
    },
  );

  return app;
}
