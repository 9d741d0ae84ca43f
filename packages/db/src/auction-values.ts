import { type AuctionDraft, type EnglishDraft, priceSteps } from '@dutch/domain';
import { dropColumnsOf } from './auction-terms.ts';
import type { auctions } from './schema.ts';

/** The row for a validated Dutch draft: the definition, the stock, and the domain's price steps. */
export function auctionValues(id: string, sellerId: string, draft: AuctionDraft): typeof auctions.$inferInsert {
  return {
    id,
    sellerId,
    title: draft.title,
    description: draft.description,
    format: 'dutch',
    pricing: draft.pricing,
    startPrice: draft.startPrice,
    floorPrice: draft.floorPrice,
    ...dropColumnsOf(draft.priceDrop),
    dropIntervalSeconds: draft.dropIntervalSeconds,
    startsAt: draft.startsAt,
    endsAt: draft.endsAt,
    initialStock: draft.stock,
    stock: draft.stock,
    perBuyerLimit: draft.perBuyerLimit,
    showStock: draft.showStock,
    priceSteps: priceSteps(draft),
  };
}

/**
 * The row for a validated English draft: one lot (initial stock, stock and limit 1, so the
 * stock checks and the status SQL hold unchanged), no Dutch columns, no lead yet.
 */
export function englishAuctionValues(id: string, sellerId: string, draft: EnglishDraft): typeof auctions.$inferInsert {
  return {
    id,
    sellerId,
    title: draft.title,
    description: draft.description,
    format: 'english',
    pricing: 'pay_as_bid',
    startPrice: draft.startPrice,
    minIncrement: draft.minIncrement,
    reservePrice: draft.reservePrice,
    extendSeconds: draft.extendSeconds,
    startsAt: draft.startsAt,
    endsAt: draft.endsAt,
    initialStock: 1,
    stock: 1,
    perBuyerLimit: 1,
    showStock: true,
  };
}
