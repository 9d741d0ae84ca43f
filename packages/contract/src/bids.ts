import { IDEMPOTENCY_KEY, MAX_BID_AMOUNT, MAX_STOCK } from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { instant, int, uuid } from './common.ts';

export const DutchBidCreate = z
  .strictObject({ quantity: int(1, MAX_STOCK), maxPrice: int(1, Number.MAX_SAFE_INTEGER) })
  .openapi('DutchBidCreate');

export const EnglishBidCreate = z.strictObject({ amount: int(1, MAX_BID_AMOUNT) }).openapi('EnglishBidCreate');

/** A Dutch auction takes {quantity, maxPrice}, an English one {amount}; the other body is a 400. */
export const BidCreate = z.union([DutchBidCreate, EnglishBidCreate]).openapi('BidCreate');

const accepted = { receiptId: uuid, status: z.literal('PENDING'), acceptedAt: instant };

export const DutchBidAccepted = z.object({ ...accepted, unitPrice: z.number().int() }).openapi('DutchBidAccepted');
export const EnglishBidAccepted = z.object({ ...accepted, amount: z.number().int() }).openapi('EnglishBidAccepted');
export const BidAccepted = z.union([DutchBidAccepted, EnglishBidAccepted]).openapi('BidAccepted');

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

export type DutchBidCreate = z.infer<typeof DutchBidCreate>;
export type EnglishBidCreate = z.infer<typeof EnglishBidCreate>;
export type BidCreate = z.infer<typeof BidCreate>;
export type DutchBidAccepted = z.infer<typeof DutchBidAccepted>;
export type EnglishBidAccepted = z.infer<typeof EnglishBidAccepted>;
export type BidAccepted = z.infer<typeof BidAccepted>;
