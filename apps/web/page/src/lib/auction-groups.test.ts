import type { AuctionView } from '@dutch/contract';
import { describe, expect, it } from 'vitest';
import { groupAuctions } from './auction-groups.ts';
import { liveFromView } from './live-auction.ts';

function auction(id: string, startsAt: number, endsAt: number, startPrice = 100): AuctionView {
  return {
    id,
    sellerId: 's',
    title: id,
    description: '',
    startPrice,
    floorPrice: null,
    priceDrop: { kind: 'constant', amount: 1 },
    dropIntervalSeconds: 1,
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(endsAt).toISOString(),
    status: 'scheduled',
    currentPrice: startPrice,
    nextPrice: null,
    nextDropAt: null,
    perBuyerLimit: 1,
    showStock: true,
    createdAt: new Date(0).toISOString(),
    serverTime: new Date(0).toISOString(),
  };
}

describe('groupAuctions', () => {
  it('groups by the status at now, whatever the list said, in buying order', () => {
    const now = 50_000;
    const groups = groupAuctions(
      [
        liveFromView(auction('later', 90_000, 100_000)),
        liveFromView(auction('soon', 60_000, 70_000)),
        liveFromView(auction('dear', 40_000, 60_000, 500)),
        liveFromView(auction('cheap', 40_000, 60_000, 50)),
        liveFromView({ ...auction('gone', 40_000, 60_000), status: 'sold_out', stock: 0 }),
        liveFromView(auction('old', 10_000, 20_000)),
        liveFromView(auction('older', 1_000, 2_000)),
      ],
      now,
    );
    expect(groups.live.map((a) => a.view.id)).toEqual(['cheap', 'gone', 'dear']);
    expect(groups.upcoming.map((a) => a.view.id)).toEqual(['soon', 'later']);
    expect(groups.ended.map((a) => a.view.id)).toEqual(['old', 'older']);
  });
});
