import type { AuctionView, EnglishAuctionView, EnglishReceipt, Receipt } from '@dutch/contract';
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

/** After each leading bid on an English auction. */
export interface BidEvent {
  readonly highBid: number;
  readonly bidCount: number;
  readonly minNextBid: number;
  readonly endsAt: string;
}

/** A late leading bid moved an English auction's end. */
export interface ExtendedEvent {
  readonly endsAt: string;
}

/** The auction closed (every format); the English and uniform fields only where they apply. */
export interface ClosedEvent {
  readonly status: AuctionStatus;
  readonly closedAt: string;
  readonly winnerId?: string | null;
  readonly finalPrice?: number | null;
  readonly clearingPrice?: number | null;
}

export function isEnglishView(view: AuctionView): view is EnglishAuctionView {
  return view.format === 'english';
}

export function isEnglishReceipt(receipt: Receipt): receipt is EnglishReceipt {
  return receipt.format === 'english';
}

/** Issue 13: the public board, notifications and watches, as the contract names them. */
export type {
  BidBoardRow as BoardRow,
  Notification as NotificationItem,
  NotificationList as NotificationPage,
  Watch as WatchSet,
  WatchedAuction as WatchItem,
} from '@dutch/contract';
