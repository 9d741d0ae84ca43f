import { type AuctionDraft, priceSteps } from '@dutch/domain';
import { dropColumnsOf } from './auction-terms.ts';
import type { auctions } from './schema.ts';

/** The row for a validated draft: the definition, the stock, and the domain's price steps. */
export function auctionValues(id: string, sellerId: string, draft: AuctionDraft): typeof auctions.$inferInsert {
  return {
    id,
    sellerId,
    title: draft.title,
    description: draft.description,
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
