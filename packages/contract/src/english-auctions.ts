import { ENGLISH_STATUSES, MAX_EXTEND_SECONDS, MAX_PRICE } from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { sharedAuctionFields } from './auction-fields.ts';
import { instant, int, optionalAll, uuid } from './common.ts';

const englishFields = {
  format: z.literal('english'),
  ...sharedAuctionFields,
  minIncrement: int(1, MAX_PRICE),
  reservePrice: int(1, MAX_PRICE).nullable().optional().openapi({
    description: 'The least the lot sells for; shown to the seller only (others see reserveMet). null: none.',
  }),
  extendSeconds: int(0, MAX_EXTEND_SECONDS).optional().openapi({
    description:
      'Soft close: a leading bid this close to the end moves the end to acceptedAt + extendSeconds (0: off).',
  }),
};

export const EnglishAuctionCreate = z.strictObject(englishFields).openapi('EnglishAuctionCreate');
export const EnglishAuctionPatch = z.strictObject(optionalAll(englishFields)).openapi('EnglishAuctionPatch');

export const EnglishAuctionView = z
  .object({
    id: uuid,
    sellerId: uuid,
    title: z.string(),
    description: z.string(),
    format: z.literal('english'),
    startsAt: instant,
    endsAt: instant.openapi({ description: 'The current end, soft-close extensions included.' }),
    status: z.enum(ENGLISH_STATUSES),
    closedAt: instant.nullable(),
    startPrice: z.number().int(),
    minIncrement: z.number().int(),
    extendSeconds: z.number().int(),
    highBid: z.number().int().nullable().openapi({ description: 'null before the first leading bid.' }),
    bidCount: z.number().int().openapi({ description: 'Leading bids so far (bids that never led do not count).' }),
    minNextBid: z
      .number()
      .int()
      .openapi({ description: 'startPrice before the first leading bid, else highBid + minIncrement.' }),
    currentPrice: z.number().int().openapi({ description: 'highBid, or startPrice before the first leading bid.' }),
    reserveMet: z.boolean().openapi({ description: 'Whether the high bid would win if the auction closed now.' }),
    reservePrice: z.number().int().nullable().optional().openapi({ description: 'To the seller only.' }),
    winnerId: uuid.nullable(),
    finalPrice: z.number().int().nullable(),
    createdAt: instant,
    serverTime: instant,
  })
  .openapi('EnglishAuction');

export type EnglishAuctionCreate = z.infer<typeof EnglishAuctionCreate>;
export type EnglishAuctionPatch = z.infer<typeof EnglishAuctionPatch>;
export type EnglishAuctionView = z.infer<typeof EnglishAuctionView>;
