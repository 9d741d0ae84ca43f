import type { EnglishAuctionView, EnglishReceipt } from '@dutch/contract';

/** An English auction starting at START and ending 60 s later, before any bid. */
export const START = Date.parse('2030-01-01T12:00:00.000Z');
export const END = START + 60_000;

export function englishView(overrides: Partial<EnglishAuctionView> = {}): EnglishAuctionView {
  return {
    id: 'e1',
    sellerId: 'seller',
    title: 'Violin',
    description: '',
    format: 'english',
    startsAt: new Date(START).toISOString(),
    endsAt: new Date(END).toISOString(),
    status: 'scheduled',
    closedAt: null,
    startPrice: 100,
    minIncrement: 10,
    extendSeconds: 30,
    highBid: null,
    bidCount: 0,
    minNextBid: 100,
    currentPrice: 100,
    reserveMet: false,
    winnerId: null,
    finalPrice: null,
    createdAt: new Date(0).toISOString(),
    serverTime: new Date(START - 1_000).toISOString(),
    ...overrides,
  };
}

export function englishReceipt(overrides: Partial<EnglishReceipt> = {}): EnglishReceipt {
  return {
    id: 'r1',
    auctionId: 'e1',
    buyerId: 'me',
    sellerId: 'seller',
    format: 'english',
    amount: 100,
    status: 'LEADING',
    acceptedAt: new Date(START + 1_000).toISOString(),
    ...overrides,
  };
}
