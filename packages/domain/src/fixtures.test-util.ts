import type { AuctionDraft, AuctionTerms } from './auction.ts';
import type { EnglishDraft, EnglishTerms } from './english.ts';

export const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
export const sec = (n: number) => n * 1000;

export const SELLER = 'seller';

export function terms(overrides: Partial<AuctionTerms> = {}): AuctionTerms {
  return {
    sellerId: SELLER,
    startPrice: 100,
    floorPrice: null,
    priceDrop: { kind: 'constant', amount: 10 },
    dropIntervalSeconds: 60,
    startsAt: T0,
    endsAt: T0 + sec(600),
    initialStock: 10,
    perBuyerLimit: 5,
    pricing: 'pay_as_bid',
    ...overrides,
  };
}

export function draft(overrides: Partial<AuctionDraft> = {}): AuctionDraft {
  return {
    title: 'Vintage camera',
    description: '',
    startPrice: 1000,
    floorPrice: null,
    priceDrop: { kind: 'constant', amount: 50 },
    dropIntervalSeconds: 60,
    startsAt: T0 + sec(60),
    endsAt: T0 + sec(660),
    stock: 10,
    perBuyerLimit: 2,
    showStock: true,
    pricing: 'pay_as_bid',
    ...overrides,
  };
}

export function englishTerms(overrides: Partial<EnglishTerms> = {}): EnglishTerms {
  return {
    sellerId: SELLER,
    startPrice: 100,
    minIncrement: 10,
    reservePrice: null,
    startsAt: T0,
    endsAt: T0 + sec(600),
    extendSeconds: 0,
    ...overrides,
  };
}

export function englishDraft(overrides: Partial<EnglishDraft> = {}): EnglishDraft {
  return {
    title: 'Oil painting',
    description: '',
    startPrice: 100,
    minIncrement: 10,
    reservePrice: null,
    startsAt: T0 + sec(60),
    endsAt: T0 + sec(3660),
    extendSeconds: 0,
    ...overrides,
  };
}
