import type { AuctionStatus } from '@dutch/domain';

/*
 * The request and response shapes come from @dutch/contract (type-only imports: nothing of zod
 * reaches the bundle). The contract has no schema for the live stream's events, so their payloads
 * are typed here: the Server-Sent Events of GET /auctions/:id/events after the `snapshot` (an
 * AuctionView).
 */
export interface StockEvent {
  readonly stock: number;
  readonly soldCount: number;
}

export interface StatusEvent {
  readonly status: AuctionStatus;
}

export interface PriceEvent {
  readonly currentPrice: number;
  readonly nextPrice: number | null;
  readonly nextDropAt: string | null;
}
