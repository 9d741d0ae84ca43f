import { RECEIPT_STATUSES } from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { cursor, instant, limit } from './common.ts';

/**
 * One settled bid on an auction's public board. The bidder is a masked name, never an id; a
 * Dutch row's quantity is left out for everyone but the seller when the stock is hidden (the
 * quantities would add up to what was sold).
 */
export const BidBoardRow = z
  .object({
    position: z.number().int().min(1).openapi({ description: '1-based place in the settlement (stream) order.' }),
    bidder: z
      .string()
      .openapi({ example: 'B***a', description: "The bidder's name, masked: first and last character." }),
    acceptedAt: instant,
    status: z.enum(RECEIPT_STATUSES),
    quantity: z.number().int().optional().openapi({ description: 'Dutch; hidden-stock auctions: the seller only.' }),
    unitPrice: z.number().int().optional().openapi({ description: 'Dutch: the unit price the bid was taken at.' }),
    amount: z.number().int().optional().openapi({ description: 'English: the amount bid.' }),
    mine: z.boolean().openapi({ description: "True on the caller's own rows (when a token is sent)." }),
  })
  .openapi('BidBoardRow');

export const BidBoard = z
  .object({ items: z.array(BidBoardRow), nextCursor: z.string().nullable() })
  .openapi('BidBoard');

export const BidBoardQuery = z.strictObject({ limit, cursor });

export type BidBoardRow = z.infer<typeof BidBoardRow>;
export type BidBoard = z.infer<typeof BidBoard>;
export type BidBoardQuery = z.infer<typeof BidBoardQuery>;
