import { AUCTION_STATUSES, MAX_DURATION_SECONDS, MAX_PERCENT, MAX_PRICE, MAX_STOCK, MIN_PERCENT } from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { cursor, instant, int, limit, text, uuid } from './common.ts';

export const PriceDrop = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('constant'), amount: int(1, MAX_PRICE) }),
    z.strictObject({ kind: z.literal('percentage'), percent: int(MIN_PERCENT, MAX_PERCENT) }),
  ])
  .openapi('PriceDrop');

const auctionFields = {
  title: text().max(200),
  description: text().max(10_000).optional(),
  startPrice: int(1, MAX_PRICE),
  floorPrice: int(1, MAX_PRICE).nullable().optional(),
  priceDrop: PriceDrop,
  // An interval must divide the auction's duration, so none is longer than the longest auction.
  dropIntervalSeconds: int(1, MAX_DURATION_SECONDS),
  startsAt: instant,
  endsAt: instant,
  stock: int(1, MAX_STOCK),
  perBuyerLimit: int(1, MAX_STOCK),
  showStock: z.boolean().optional(),
};

export const AuctionCreate = z.strictObject(auctionFields).openapi('AuctionCreate');
export const AuctionPatch = z
  .strictObject(
    Object.fromEntries(Object.entries(auctionFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof auctionFields]: z.ZodOptional<(typeof auctionFields)[K]>;
    },
  )
  .openapi('AuctionPatch');

export const AuctionView = z
  .object({
    id: uuid,
    sellerId: uuid,
    title: z.string(),
    description: z.string(),
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
    createdAt: instant,
    serverTime: instant,
  })
  .openapi('Auction');

export const AuctionListQuery = z.strictObject({
  status: z.enum(AUCTION_STATUSES).optional(),
  sort: z.enum(['startsAt', '-startsAt', 'currentPrice', '-currentPrice']).optional(),
  limit,
  cursor,
});

export const AuctionList = z
  .object({ items: z.array(AuctionView), nextCursor: z.string().nullable() })
  .openapi('AuctionList');

export type PriceDrop = z.infer<typeof PriceDrop>;
export type AuctionCreate = z.infer<typeof AuctionCreate>;
export type AuctionPatch = z.infer<typeof AuctionPatch>;
export type AuctionView = z.infer<typeof AuctionView>;
export type AuctionListQuery = z.infer<typeof AuctionListQuery>;
export type AuctionList = z.infer<typeof AuctionList>;
