import type { AuctionView, DutchAuctionView } from '@dutch/contract';
import { type auctions, termsOf } from '@dutch/db';
import { auctionMomentAt, canSeeStock } from '@dutch/domain';
import { englishAuctionView } from './english-auction-view.ts';

export type AuctionRow = typeof auctions.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/**
 * The contract's auction view at `now`, in the auction's format. What only the seller may see
 * (a hidden stock, a reserve price) is left out for everyone else, anonymous viewers included.
 */
export function auctionView(row: AuctionRow, now: number, viewerId: string | null): AuctionView {
  return row.format === 'english' ? englishAuctionView(row, now, viewerId) : dutchAuctionView(row, now, viewerId);
}

/** Stock is shown when the seller chose to show it, and always to the seller. */
function dutchAuctionView(row: AuctionRow, now: number, viewerId: string | null): DutchAuctionView {
  const terms = termsOf(row);
  const moment = auctionMomentAt(terms, row.stock, now);
  const seesStock = canSeeStock(row, viewerId);
  return {
    id: row.id,
    sellerId: row.sellerId,
    title: row.title,
    description: row.description,
    format: 'dutch',
    pricing: terms.pricing,
    startPrice: row.startPrice,
    floorPrice: row.floorPrice,
    priceDrop: terms.priceDrop,
    dropIntervalSeconds: terms.dropIntervalSeconds,
    startsAt: iso(terms.startsAt),
    endsAt: iso(terms.endsAt),
    status: moment.status,
    currentPrice: moment.currentPrice,
    nextPrice: moment.nextPrice,
    nextDropAt: isoOrNull(moment.nextDropAt),
    ...(seesStock ? { stock: row.stock, initialStock: row.initialStock, soldCount: row.soldCount } : {}),
    perBuyerLimit: row.perBuyerLimit,
    showStock: row.showStock,
    closedAt: isoOrNull(row.closedAt),
    clearingPrice: row.clearingPrice,
    createdAt: iso(row.createdAt),
    serverTime: iso(now),
  };
}

export type { AuctionView };
