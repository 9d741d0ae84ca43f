/** Who may know an auction's stock figures (stock, initialStock, soldCount, "Only N left"). */
export interface StockVisibility {
  readonly sellerId: string;
  /** The seller's choice to show the stock to everyone. */
  readonly showStock: boolean;
}

/**
 * The one rule, used by every view, feed, list and error: everyone sees the stock when the
 * seller shows it, and the seller always sees their own. Anyone else (a buyer, or anonymous
 * with `viewerId` null) learns no more than `status` says: running, or sold_out at 0.
 */
export function canSeeStock(auction: StockVisibility, viewerId: string | null): boolean {
  return auction.showStock || (viewerId !== null && viewerId === auction.sellerId);
}
