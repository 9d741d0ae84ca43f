import type { DutchAuctionView } from '@dutch/contract';
import { describe, expect, it } from 'vitest';
import { groupAuctions } from './auction-groups.ts';
import { englishView } from './english-fixtures.test-util.ts';
import { listedFromView, listedId } from './listed-auction.ts';

function auction(id: string, startsAt: number, endsAt: number, startPrice = 100): DutchAuctionView {
  return {
    id,
    sellerId: 's',
    title: id,
    description: '',
    format: 'dutch',
    pricing: 'pay_as_bid',
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
    closedAt: null,
    clearingPrice: null,
    createdAt: new Date(0).toISOString(),
    serverTime: new Date(0).toISOString(),
  };
}

describe('groupAuctions', () => {
  it('groups by the status at now, whatever the list said, in buying order', () => {
    const now = 50_000;
    const groups = groupAuctions(
      [
        listedFromView(auction('later', 90_000, 100_000)),
        listedFromView(auction('soon', 60_000, 70_000)),
        listedFromView(auction('dear', 40_000, 60_000, 500)),
        listedFromView(auction('cheap', 40_000, 60_000, 50)),
        listedFromView({ ...auction('gone', 40_000, 60_000), status: 'sold_out', stock: 0 }),
        listedFromView(auction('old', 10_000, 20_000)),
        listedFromView(auction('older', 1_000, 2_000)),
      ],
      now,
    );
    expect(groups.live.map((a) => listedId(a))).toEqual(['cheap', 'gone', 'dear']);
    expect(groups.upcoming.map((a) => listedId(a))).toEqual(['soon', 'later']);
    expect(groups.ended.map((a) => listedId(a))).toEqual(['old', 'older']);
  });
});

describe('groupAuctions with both formats', () => {
  it('places an English auction by its current end and prices it at its minimum next bid', () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    const now = 50_000;
    const english = (id: string, startsAt: number, endsAt: number, minNextBid: number) =>
      listedFromView(englishView({ id, startsAt: iso(startsAt), endsAt: iso(endsAt), minNextBid }));
    const groups = groupAuctions(
      [
        // 70 at its start, down 1 a second: 60 at now.
        listedFromView(auction('dutch-60', 40_000, 60_000, 70)),
        english('english-70', 40_000, 60_000, 70),
        english('english-55', 40_000, 60_000, 55),
        // Extended past now: still live, although it was scheduled to end before now.
        english('extended', 10_000, 55_000, 500),
        english('upcoming', 70_000, 80_000, 1),
        english('over', 10_000, 20_000, 1),
      ],
      now,
    );
    expect(groups.live.map(listedId)).toEqual(['english-55', 'dutch-60', 'english-70', 'extended']);
    expect(groups.upcoming.map(listedId)).toEqual(['upcoming']);
    expect(groups.ended.map(listedId)).toEqual(['over']);
  });
});
