import type { AuctionView } from '@dutch/contract';
import { type auctions, priceDropOf, termsOf } from '@dutch/db';
import { auctionMomentAt, canSeeStock } from '@dutch/domain';

export type AuctionRow = typeof auctions.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The contract's auction view at `now`. Stock is shown when the seller chose to show it,
 * and always to the seller.
 */
export function auctionView(row: AuctionRow, now: number, viewerId: string | null): AuctionView {
  const terms = termsOf(row);
  const moment = auctionMomentAt(terms, row.stock, now);
  const seesStock = canSeeStock(row, viewerId);
  return {
    id: row.id,
    sellerId: row.sellerId,
    title: row.title,
    description: row.description,
    startPrice: row.startPrice,
    floorPrice: row.floorPrice,
    priceDrop: priceDropOf(row.dropKind, row.dropValue),
    dropIntervalSeconds: row.dropIntervalSeconds,
    startsAt: iso(terms.startsAt),
    endsAt: iso(terms.endsAt),
    status: moment.status,
    currentPrice: moment.currentPrice,
    nextPrice: moment.nextPrice,
    nextDropAt: moment.nextDropAt === null ? null : iso(moment.nextDropAt),
    ...(seesStock ? { stock: row.stock, initialStock: row.initialStock, soldCount: row.soldCount } : {}),
    perBuyerLimit: row.perBuyerLimit,
    showStock: row.showStock,
    createdAt: iso(row.createdAt),
    serverTime: iso(now),
  };
}

export type { AuctionView };
