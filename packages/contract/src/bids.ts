import { IDEMPOTENCY_KEY, MAX_STOCK } from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { instant, int, uuid } from './common.ts';

export const BidCreate = z
  .strictObject({ quantity: int(1, MAX_STOCK), maxPrice: int(1, Number.MAX_SAFE_INTEGER) })
  .openapi('BidCreate');

export const BidAccepted = z
  .object({
    receiptId: uuid,
    status: z.literal('PENDING'),
    acceptedAt: instant,
    unitPrice: z.number().int(),
  })
  .openapi('BidAccepted');

/**
 * The Idempotency-Key header, for the OpenAPI document. It is read by hand on the bid path: a
 * zod header validator would make @hono/node-server build a full Headers object per request.
 */
export const IdempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description: 'The same key from the same buyer within 24 h returns the same receipt, and queues no second bid.',
  schema: { type: 'string' as const, pattern: IDEMPOTENCY_KEY.source },
};

export type BidCreate = z.infer<typeof BidCreate>;
export type BidAccepted = z.infer<typeof BidAccepted>;
