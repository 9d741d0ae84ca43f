import { FAILURE_REASONS, RECEIPT_STATUSES } from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { cursor, instant, limit, uuid } from './common.ts';

const parties = { id: uuid, auctionId: uuid, buyerId: uuid, sellerId: uuid };

const outcome = {
  status: z.enum(RECEIPT_STATUSES),
  failureReason: z.enum(FAILURE_REASONS).optional(),
  duplicateOf: uuid.optional().openapi({
    description: 'With failureReason DUPLICATE_REQUEST: the first receipt for the same Idempotency-Key.',
  }),
  acceptedAt: instant,
  settledAt: instant.optional(),
  refundedAt: instant.optional(),
  position: z.number().int().min(1).optional().openapi({
    description:
      "Once settled: the receipt's 1-based place in its auction's settlement order (the stream order). PENDING has none.",
  }),
};

export const DutchReceipt = z
  .object({
    ...parties,
    format: z.literal('dutch'),
    quantity: z.number().int(),
    unitPrice: z.number().int(),
    total: z.number().int(),
    finalUnitPrice: z.number().int().openapi({
      description: 'What each unit finally costs: the clearing price once a uniform auction closed, else unitPrice.',
    }),
    rebate: z.number().int().openapi({ description: 'Points given back at a uniform close (0 until then).' }),
    ...outcome,
  })
  .openapi('DutchReceipt');

export const EnglishReceipt = z
  .object({ ...parties, format: z.literal('english'), amount: z.number().int(), ...outcome })
  .openapi('EnglishReceipt');

export const Receipt = z.discriminatedUnion('format', [DutchReceipt, EnglishReceipt]).openapi('Receipt');

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

export type DutchReceipt = z.infer<typeof DutchReceipt>;
export type EnglishReceipt = z.infer<typeof EnglishReceipt>;
export type Receipt = z.infer<typeof Receipt>;
export type ReceiptListQuery = z.infer<typeof ReceiptListQuery>;
export type ReceiptList = z.infer<typeof ReceiptList>;
export type RefundAccepted = z.infer<typeof RefundAccepted>;
