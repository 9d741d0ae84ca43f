import { AUCTION_FORMATS, AUCTION_STATUSES } from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { cursor, limit } from './common.ts';
import { DutchAuctionCreate, DutchAuctionPatch, DutchAuctionView } from './dutch-auctions.ts';
import { EnglishAuctionCreate, EnglishAuctionPatch, EnglishAuctionView } from './english-auctions.ts';

export * from './dutch-auctions.ts';
export * from './english-auctions.ts';

/**
 * Without `format` (or with "dutch"): the version 1 Dutch auction; "english": the price goes up
 * by bids. A plain union, not a discriminated one: the Dutch body may leave `format` out, which
 * an OpenAPI discriminator does not allow (a body that fits neither is judged by the closer one).
 */
export const AuctionCreate = z.union([DutchAuctionCreate, EnglishAuctionCreate]).openapi('AuctionCreate');

/** The fields of the auction's own format; `format` itself cannot change. */
export const AuctionPatch = z.union([DutchAuctionPatch, EnglishAuctionPatch]).openapi('AuctionPatch');

export const AuctionView = z.discriminatedUnion('format', [DutchAuctionView, EnglishAuctionView]).openapi('Auction');

export const AuctionListQuery = z.strictObject({
  status: z.enum(AUCTION_STATUSES).optional(),
  format: z.enum(AUCTION_FORMATS).optional(),
  sort: z.enum(['startsAt', '-startsAt', 'currentPrice', '-currentPrice']).optional(),
  limit,
  cursor,
});

export const AuctionList = z
  .object({ items: z.array(AuctionView), nextCursor: z.string().nullable() })
  .openapi('AuctionList');

export type AuctionCreate = z.infer<typeof AuctionCreate>;
export type AuctionPatch = z.infer<typeof AuctionPatch>;
export type AuctionView = z.infer<typeof AuctionView>;
export type AuctionListQuery = z.infer<typeof AuctionListQuery>;
export type AuctionList = z.infer<typeof AuctionList>;
