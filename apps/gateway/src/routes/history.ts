import { errors, ReceiptList, ReceiptListQuery } from '@dutch/contract';
import { findReceiptPage } from '@dutch/db';
import type { ReceiptStatus } from '@dutch/domain';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { type AppContext, memberIdOf } from '../app-context.ts';
import { requireMember } from '../auth/authenticate.ts';
import { cursorNumber, decodeCursor, encodeCursor } from '../http/cursor.ts';
import { type ReceiptView, settledReceiptView } from '../views/receipt-view.ts';
import { type ListCursor, markQueuedRefund, newerFirst, pendingReceiptsOf, queuedRefunds } from './pending-receipts.ts';
import { bearer, jsonResponse, router } from './router.ts';

const Cursor = z.object({ at: cursorNumber, id: z.uuid() });

/** The purchase and sales history, mounted under /members. */
export function historyRoutes(ctx: AppContext) {
  const app = router();
  const auth = requireMember(ctx.tokens);

  const description = 'Newest first, every status (PENDING ones included) unless `status` filters.';

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/purchases',
      tags: ['History'],
      summary: "The caller's bids and their outcomes",
      description,
      security: bearer,
      middleware: [auth] as const,
      request: { query: ReceiptListQuery },
      responses: { 200: jsonResponse(ReceiptList, 'A page of receipts'), ...errors(400, 401) },
    }),
    async (c) => c.json(await readPage(ctx, 'buyer', memberIdOf(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/sales',
      tags: ['History'],
      summary: "Receipts of the caller's auctions",
      description,
      security: bearer,
      middleware: [auth] as const,
      request: { query: ReceiptListQuery },
      responses: { 200: jsonResponse(ReceiptList, 'A page of receipts'), ...errors(400, 401) },
    }),
    async (c) => c.json(await readPage(ctx, 'seller', memberIdOf(c), c.req.valid('query')), 200),
  );

  return app;
}

/**
 * Newest first, keyset-paged on (acceptedAt, id): settled receipts from Postgres merged with
 * those still pending in Redis. Both sources are read past the same cursor, so the merged page is exact.
 */
async function readPage(
  ctx: AppContext,
  party: 'buyer' | 'seller',
  memberId: string,
  query: typeof ReceiptListQuery._output,
) {
  const limit = query.limit ?? 20;
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, Cursor);
  const { status } = query;
  // Refunds queued are marked in Redis, not Postgres: they decide PURCHASED vs REFUND_PENDING.
  const queued = status === 'PENDING' ? new Set<string>() : await queuedRefunds(ctx.redis, ctx.layout);
  const [settled, pending] = await Promise.all([
    status === 'PENDING' ? [] : readSettledPage(ctx, party, memberId, status, cursor, limit, queued),
    status === undefined || status === 'PENDING' || status === 'FAILED'
      ? pendingReceiptsOf(ctx.redis, ctx.layout, party, memberId, cursor).then((all) =>
          all.filter((receipt) => status === undefined || receipt.status === status),
        )
      : [],
  ]);
  const settledIds = new Set(settled.map((receipt) => receipt.id));
  const merged = [...settled, ...pending.filter((receipt) => !settledIds.has(receipt.id))].sort(newerFirst);
  const items = merged.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    merged.length > limit && last !== undefined ? encodeCursor({ at: Date.parse(last.acceptedAt), id: last.id }) : null;
  return { items, nextCursor };
}

async function readSettledPage(
  ctx: AppContext,
  party: 'buyer' | 'seller',
  memberId: string,
  status: ReceiptStatus | undefined,
  cursor: ListCursor | null,
  limit: number,
  queued: ReadonlySet<string>,
): Promise<ReceiptView[]> {
  const rows = await findReceiptPage(ctx.db, { party, memberId, status, queued, before: cursor, limit });
  return rows.map((row) => markQueuedRefund(settledReceiptView(row), queued));
}
