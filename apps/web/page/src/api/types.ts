import type { AuctionStatus, PriceDrop, ReceiptStatus } from '@dutch/domain';

/** The HTTP contract's shapes (see docs/api.md); times are ISO-8601 strings on the wire. */
export interface AuctionView {
  readonly id: string;
  readonly sellerId: string;
  readonly title: string;
  readonly description: string | null;
  readonly startPrice: number;
  readonly floorPrice: number | null;
  readonly priceDrop: PriceDrop;
  readonly dropIntervalSeconds: number;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly status: AuctionStatus;
  readonly currentPrice: number;
  readonly nextPrice: number | null;
  readonly nextDropAt: string | null;
  /** Left out when the seller hides stock (unless the caller is the seller). */
  readonly stock?: number;
  readonly initialStock?: number;
  readonly soldCount?: number;
  readonly perBuyerLimit: number;
  readonly showStock?: boolean;
  readonly serverTime: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface Member {
  readonly id: string;
  readonly name: string;
  readonly points: number;
}

export interface MemberCreated extends Member {
  readonly token: string;
}

export interface Receipt {
  readonly id: string;
  readonly auctionId: string;
  readonly buyerId: string;
  readonly sellerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly total: number;
  readonly status: ReceiptStatus;
  /** A FailureReason code; typed as string because an older page may meet a newer server. */
  readonly failureReason?: string;
  readonly acceptedAt: string;
  readonly settledAt?: string;
  readonly refundedAt?: string;
}

export interface BidAccepted {
  readonly receiptId: string;
  readonly status: 'PENDING';
  readonly acceptedAt: string;
  readonly unitPrice: number;
}

export interface CreateAuctionRequest {
  readonly title: string;
  readonly description?: string;
  readonly startPrice: number;
  readonly floorPrice?: number;
  readonly priceDrop: PriceDrop;
  readonly dropIntervalSeconds: number;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly stock: number;
  readonly perBuyerLimit: number;
  readonly showStock: boolean;
}

/** Server-Sent Event payloads of GET /auctions/:id/events, after the `snapshot` (an AuctionView). */
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
