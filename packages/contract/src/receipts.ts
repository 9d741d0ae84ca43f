import { FAILURE_REASONS, RECEIPT_STATUSES } from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { cursor, instant, limit, uuid } from './common.ts';

export const Receipt = z
  .object({
    id: uuid,
    auctionId: uuid,
    buyerId: uuid,
    sellerId: uuid,
    quantity: z.number().int(),
    unitPrice: z.number().int(),
    total: z.number().int(),
    status: z.enum(RECEIPT_STATUSES),
    failureReason: z.enum(FAILURE_REASONS).optional(),
    duplicateOf: uuid.optional().openapi({
      description: 'With failureReason DUPLICATE_REQUEST: the first receipt for the same Idempotency-Key.',
    }),
    acceptedAt: instant,
    settledAt: instant.optional(),
    refundedAt: instant.optional(),
  })
  .openapi('Receipt');

export const ReceiptListQuery = z.strictObject({
  status: z.enum(RECEIPT_STATUSES).optional(),
  limit,
  cursor,
});

export const ReceiptList = z
  .object({ items: z.array(Receipt), nextCursor: z.string().nullable() })
  .openapi('ReceiptList');

export const RefundAccepted = z
  .object({ receiptId: uuid, status: z.literal('REFUND_PENDING') })
  .openapi('RefundAccepted');

export type Receipt = z.infer<typeof Receipt>;
export type ReceiptListQuery = z.infer<typeof ReceiptListQuery>;
export type ReceiptList = z.infer<typeof ReceiptList>;
export type RefundAccepted = z.infer<typeof RefundAccepted>;
