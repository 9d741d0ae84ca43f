/**
 * What travels on the events channel. Consumers publish stock after each commit; gateways
 * publish definition changes so every gateway drops its cached copy.
 */
export type AuctionEvent =
  | { readonly type: 'stock'; readonly auctionId: string; readonly stock: number; readonly soldCount: number }
  | { readonly type: 'changed'; readonly auctionId: string }
  | { readonly type: 'token-revoked'; readonly tokenId: string };

export function encodeEvent(event: AuctionEvent): string {
  return JSON.stringify(event);
}

export function decodeEvent(payload: string): AuctionEvent | null {
  try {
    const value = JSON.parse(payload) as Partial<AuctionEvent> & Record<string, unknown>;
    if (value.type === 'stock' && typeof value.auctionId === 'string' && typeof value.stock === 'number') {
      return { type: 'stock', auctionId: value.auctionId, stock: value.stock, soldCount: Number(value.soldCount) };
    }
    if (value.type === 'changed' && typeof value.auctionId === 'string')
      return { type: 'changed', auctionId: value.auctionId };
    if (value.type === 'token-revoked' && typeof value.tokenId === 'string')
      return { type: 'token-revoked', tokenId: value.tokenId };
    return null;
  } catch {
    return null;
  }
}
