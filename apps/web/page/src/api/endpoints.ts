import type {
  AuctionCreate,
  AuctionView,
  DutchBidAccepted,
  EnglishBidAccepted,
  Member,
  MemberCreated,
  Page,
  Receipt,
} from '@dutch/contract';
import type { AuctionStatus } from '@dutch/domain';
import { requestJson } from './http.ts';
import type { BoardRow } from './types.ts';

/** One function per endpoint of the contract the page uses; the token is always passed in. */

export type AuctionSort = 'startsAt' | '-startsAt' | 'currentPrice' | '-currentPrice';

export function fetchAuctions(
  status: AuctionStatus,
  options: { sort?: AuctionSort; limit?: number; signal?: AbortSignal } = {},
): Promise<Page<AuctionView>> {
  const query = new URLSearchParams({ status });
  if (options.sort) query.set('sort', options.sort);
  if (options.limit) query.set('limit', String(options.limit));
  return requestJson(`/auctions?${query}`, { signal: options.signal });
}

/** With the seller's token the view includes a hidden stock, as the seller's live feed does. */
export function fetchAuction(id: string, signal?: AbortSignal, token?: string | null): Promise<AuctionView> {
  return requestJson(`/auctions/${encodeURIComponent(id)}`, { signal, token: token ?? null });
}

export function auctionEventsUrl(id: string): string {
  return `/auctions/${encodeURIComponent(id)}/events`;
}

export function createAuction(token: string, body: AuctionCreate): Promise<AuctionView> {
  return requestJson('/auctions', { method: 'POST', token, body });
}

/** A Dutch bid: how many, and the highest unit price the buyer accepts. */
export function placeBid(
  token: string,
  auctionId: string,
  bid: { quantity: number; maxPrice: number },
  idempotencyKey: string,
): Promise<DutchBidAccepted> {
  return requestJson(`/auctions/${encodeURIComponent(auctionId)}/bids`, {
    method: 'POST',
    token,
    body: bid,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

/** An English bid: the amount offered for the lot. */
export function placeEnglishBid(
  token: string,
  auctionId: string,
  bid: { amount: number },
  idempotencyKey: string,
): Promise<EnglishBidAccepted> {
  return requestJson(`/auctions/${encodeURIComponent(auctionId)}/bids`, {
    method: 'POST',
    token,
    body: bid,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

export function fetchReceipt(token: string, id: string, signal?: AbortSignal): Promise<Receipt> {
  return requestJson(`/receipts/${encodeURIComponent(id)}`, { token, signal });
}

export function requestRefund(token: string, receiptId: string): Promise<{ status: 'REFUND_PENDING' }> {
  return requestJson(`/receipts/${encodeURIComponent(receiptId)}/refund`, { method: 'POST', token });
}

export function fetchPurchases(token: string, signal?: AbortSignal): Promise<Page<Receipt>> {
  return requestJson('/members/me/purchases?limit=100', { token, signal });
}

export function signUp(name: string): Promise<MemberCreated> {
  return requestJson('/members', { method: 'POST', body: { name } });
}

export function fetchMe(token: string): Promise<Member> {
  return requestJson('/members/me', { token });
}

export function chargePoints(token: string, amount: number): Promise<{ points: number }> {
  return requestJson('/members/me/points', { method: 'POST', token, body: { amount } });
}

/** The public board: settled bids in settlement order. With a token, the caller's rows say `mine`. */
export function fetchBoard(
  id: string,
  options: { cursor: string | null; limit: number; token: string | null; signal?: AbortSignal },
): Promise<Page<BoardRow>> {
  const query = new URLSearchParams({ limit: String(options.limit) });
  if (options.cursor !== null) query.set('cursor', options.cursor);
  return requestJson(`/auctions/${encodeURIComponent(id)}/bids?${query}`, {
    token: options.token,
    signal: options.signal,
  });
}
