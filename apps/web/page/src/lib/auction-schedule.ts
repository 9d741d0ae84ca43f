import type { DutchAuctionView } from '@dutch/contract';
import type { PriceSchedule } from '@dutch/domain';

/** The domain's schedule behind an API view: the same input the server prices with. */
export function scheduleOf(view: DutchAuctionView): PriceSchedule {
  return {
    startPrice: view.startPrice,
    floorPrice: view.floorPrice,
    priceDrop: view.priceDrop,
    dropIntervalSeconds: view.dropIntervalSeconds,
    startsAt: Date.parse(view.startsAt),
    endsAt: Date.parse(view.endsAt),
  };
}
