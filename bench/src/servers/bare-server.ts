/**
 * Reference (a): the HTTP ceiling. The same route and JSON body as a bid, parsed, answered 202
 * with a receipt-shaped body; no auth, no validation, no Redis.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { runCluster } from './cluster.ts';

await runCluster(() => {
  const app = new Hono();
  app.post('/auctions/:id/bids', async (c) => {
    const body = await c.req.json<{ quantity?: unknown; maxPrice?: unknown }>();
    return c.json(
      {
        receiptId: randomUUID(),
        status: 'PENDING',
        acceptedAt: new Date().toISOString(),
        unitPrice: typeof body.maxPrice === 'number' ? body.maxPrice : 0,
      },
      202,
    );
  });
  return app.fetch;
});
