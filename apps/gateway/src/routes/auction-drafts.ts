import type { AuctionCreate } from '@dutch/contract';
import type { AuctionDraft } from '@dutch/domain';

export type AuctionInput = Partial<typeof AuctionCreate._output>;

export function mergeDraft(base: AuctionDraft, input: AuctionInput): AuctionDraft {
  return {
    title: input.title ?? base.title,
    description: input.description ?? base.description,
    startPrice: input.startPrice ?? base.startPrice,
    floorPrice: input.floorPrice === undefined ? base.floorPrice : input.floorPrice,
    priceDrop: input.priceDrop ?? base.priceDrop,
    dropIntervalSeconds: input.dropIntervalSeconds ?? base.dropIntervalSeconds,
    startsAt: input.startsAt === undefined ? base.startsAt : Date.parse(input.startsAt),
    endsAt: input.endsAt === undefined ? base.endsAt : Date.parse(input.endsAt),
    stock: input.stock ?? base.stock,
    perBuyerLimit: input.perBuyerLimit ?? base.perBuyerLimit,
    showStock: input.showStock ?? base.showStock,
  };
}

/** What POST merges onto: every field comes from the request. */
export const EMPTY: AuctionDraft = {
  title: '',
  description: '',
  startPrice: 0,
  floorPrice: null,
  priceDrop: { kind: 'constant', amount: 0 },
  dropIntervalSeconds: 0,
  startsAt: Number.NaN,
  endsAt: Number.NaN,
  stock: 0,
  perBuyerLimit: 0,
  showStock: true,
};
