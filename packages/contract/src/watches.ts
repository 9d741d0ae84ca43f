import { MAX_PRICE } from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { AuctionView } from './auctions.ts';
import { cursor, instant, int, limit, uuid } from './common.ts';

export const WatchPut = z
  .strictObject({
    alertPrice: int(1, MAX_PRICE).nullable().optional().openapi({
      description: 'Dutch: notify (price_alert) once the price is at or below it. Left out or null: no alert.',
    }),
  })
  .openapi('WatchPut');

export const Watch = z
  .object({
    auctionId: uuid,
    alertPrice: z.number().int().nullable(),
    createdAt: instant.openapi({ description: 'When the auction was first watched (a change keeps it).' }),
  })
  .openapi('Watch');

export const WatchedAuction = z
  .object({
    auctionId: uuid,
    alertPrice: z.number().int().nullable(),
    createdAt: instant.openapi({ description: 'When the auction was first watched.' }),
    auction: AuctionView,
  })
  .openapi('WatchedAuction');

export const WatchList = z
  .object({ items: z.array(WatchedAuction), nextCursor: z.string().nullable() })
  .openapi('WatchList');

export const WatchListQuery = z.strictObject({ limit, cursor });

export type WatchPut = z.infer<typeof WatchPut>;
export type Watch = z.infer<typeof Watch>;
export type WatchedAuction = z.infer<typeof WatchedAuction>;
export type WatchList = z.infer<typeof WatchList>;
export type WatchListQuery = z.infer<typeof WatchListQuery>;
