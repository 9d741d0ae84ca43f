/**
 * What travels on the events channel. Consumers publish stock after each commit; gateways
 * publish definition changes so every gateway drops its cached copy. A `credit` (points a
 * member gains: a charge, a sale, a refund) is published BEFORE its transaction commits, with
 * the member's row locked, so a gateway's upper bound of their points never misses it.
 */
export type AuctionEvent =
  | { readonly type: 'stock'; readonly auctionId: string; readonly stock: number; readonly soldCount: number }
  | { readonly type: 'changed'; readonly auctionId: string }
  | { readonly type: 'token-revoked'; readonly tokenId: string };

/** Points a member gained; only the gateway's points bounds care, not the live feeds. */
export interface CreditEvent {
  readonly type: 'credit';
  readonly memberId: string;
  readonly amount: number;
}

export type ChannelEvent = AuctionEvent | CreditEvent;

export function encodeEvent(event: ChannelEvent): string {
  return JSON.stringify(event);
}

export function decodeEvent(payload: string): ChannelEvent | null {
  try {
    const value = JSON.parse(payload) as Partial<ChannelEvent> & Record<string, unknown>;
    if (value.type === 'stock' && typeof value.auctionId === 'string' && typeof value.stock === 'number') {
      return { type: 'stock', auctionId: value.auctionId, stock: value.stock, soldCount: Number(value.soldCount) };
    }
    if (value.type === 'changed' && typeof value.auctionId === 'string')
      return { type: 'changed', auctionId: value.auctionId };
    if (value.type === 'token-revoked' && typeof value.tokenId === 'string')
      return { type: 'token-revoked', tokenId: value.tokenId };
    if (value.type === 'credit' && typeof value.memberId === 'string' && typeof value.amount === 'number')
      return { type: 'credit', memberId: value.memberId, amount: value.amount };
    return null;
  } catch {
    return null;
  }
}
