import {
  AUCTION_STATUSES,
  MAX_DURATION_SECONDS,
  MAX_PERCENT,
  MAX_PRICE,
  MAX_STOCK,
  MIN_PERCENT,
  PRICINGS,
} from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { sharedAuctionFields } from './auction-fields.ts';
import { instant, int, optionalAll, uuid } from './common.ts';

export const PriceDrop = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('constant'), amount: int(1, MAX_PRICE) }),
    z.strictObject({ kind: z.literal('percentage'), percent: int(MIN_PERCENT, MAX_PERCENT) }),
  ])
  .openapi('PriceDrop');

const dutchFields = {
  format: z.literal('dutch').optional().openapi({ description: 'Left out: a Dutch auction (version 1 clients).' }),
  ...sharedAuctionFields,
  floorPrice: int(1, MAX_PRICE).nullable().optional(),
  priceDrop: PriceDrop,
  // An interval must divide the auction's duration, so none is longer than the longest auction.
  dropIntervalSeconds: int(1, MAX_DURATION_SECONDS),
  stock: int(1, MAX_STOCK),
  perBuyerLimit: int(1, MAX_STOCK),
  showStock: z.boolean().optional(),
  pricing: z.enum(PRICINGS).optional().openapi({
    description: 'pay_as_bid (the default): each buyer pays the price at their bid; uniform: all pay the lowest.',
  }),
};

export const DutchAuctionCreate = z.strictObject(dutchFields).openapi('DutchAuctionCreate');
export const DutchAuctionPatch = z.strictObject(optionalAll(dutchFields)).openapi('DutchAuctionPatch');

export const DutchAuctionView = z
  .object({
    id: uuid,
    sellerId: uuid,
    title: z.string(),
    description: z.string(),
    format: z.literal('dutch'),
    pricing: z.enum(PRICINGS),
    startPrice: z.number().int(),
    floorPrice: z.number().int().nullable(),
    priceDrop: PriceDrop,
    dropIntervalSeconds: z.number().int(),
    startsAt: instant,
    endsAt: instant,
    status: z.enum(AUCTION_STATUSES),
    currentPrice: z.number().int(),
    nextPrice: z.number().int().nullable(),
    nextDropAt: instant.nullable(),
    stock: z.number().int().optional(),
    initialStock: z.number().int().optional(),
    soldCount: z.number().int().optional(),
    perBuyerLimit: z.number().int(),
    showStock: z.boolean(),
    closedAt: instant.nullable().openapi({ description: 'When the auction closed (at its end or on selling out).' }),
    clearingPrice: z.number().int().nullable().openapi({
      description: 'uniform pricing: the lowest unit price paid, once closed (null before, or when nothing sold).',
    }),
    createdAt: instant,
    serverTime: instant,
  })
  .openapi('DutchAuction');

export type PriceDrop = z.infer<typeof PriceDrop>;
export type DutchAuctionCreate = z.infer<typeof DutchAuctionCreate>;
export type DutchAuctionPatch = z.infer<typeof DutchAuctionPatch>;
export type DutchAuctionView = z.infer<typeof DutchAuctionView>;
