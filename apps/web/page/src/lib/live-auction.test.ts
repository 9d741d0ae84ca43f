import type { DutchAuctionView } from '@dutch/contract';
import { describe, expect, it } from 'vitest';
import { applyLiveEvent, liveFromView, momentAt, serverTimeLowerBound } from './live-auction.ts';

const START = Date.parse('2030-01-01T12:00:00.000Z');

function view(overrides: Partial<DutchAuctionView> = {}): DutchAuctionView {
  return {
    id: 'a1',
    sellerId: 's1',
    title: 'Lamp',
    description: '',
    format: 'dutch',
    pricing: 'pay_as_bid',
    startPrice: 100,
    floorPrice: null,
    priceDrop: { kind: 'constant', amount: 10 },
    dropIntervalSeconds: 1,
    startsAt: new Date(START).toISOString(),
    endsAt: new Date(START + 5_000).toISOString(),
    status: 'scheduled',
    currentPrice: 100,
    nextPrice: 90,
    nextDropAt: new Date(START + 1_000).toISOString(),
    stock: 5,
    initialStock: 5,
    perBuyerLimit: 2,
    showStock: true,
    closedAt: null,
    clearingPrice: null,
    createdAt: new Date(0).toISOString(),
    serverTime: new Date(START - 1_000).toISOString(),
    ...overrides,
  };
}

describe('live auction state', () => {
  it('prices and dates every moment with the domain', () => {
    const state = liveFromView(view());
    expect(momentAt(state, START - 1)).toEqual({
      status: 'scheduled',
      currentPrice: 100,
      nextPrice: 90,
      nextDropAt: START + 1_000,
    });
    expect(momentAt(state, START + 2_500)).toMatchObject({ status: 'running', currentPrice: 80, nextPrice: 70 });
    expect(momentAt(state, START + 5_000)).toMatchObject({ status: 'ended', currentPrice: 60, nextDropAt: null });
  });

  it('goes sold out with the stock, and back when a refund restores it', () => {
    let state = liveFromView(view());
    state = applyLiveEvent(state, { type: 'stock', data: { stock: 0, soldCount: 5 } });
    expect(state.stock).toBe(0);
    expect(momentAt(state, START + 100).status).toBe('sold_out');
    state = applyLiveEvent(state, { type: 'stock', data: { stock: 2, soldCount: 3 } });
    expect(momentAt(state, START + 100).status).toBe('running');
  });

  it('takes sold out from status events when stock is hidden', () => {
    let state = liveFromView(view({ stock: undefined, initialStock: undefined, status: 'running' }));
    expect(state.stock).toBeNull();
    state = applyLiveEvent(state, { type: 'status', data: { status: 'sold_out' } });
    expect(momentAt(state, START + 100).status).toBe('sold_out');
    state = applyLiveEvent(state, { type: 'status', data: { status: 'running' } });
    expect(momentAt(state, START + 100).status).toBe('running');
  });

  it('keeps the close and the clearing price of a uniform auction', () => {
    let state = liveFromView(view({ pricing: 'uniform' }));
    expect(state.closedAt).toBeNull();
    const closedAt = new Date(START + 5_100).toISOString();
    state = applyLiveEvent(state, { type: 'closed', data: { status: 'ended', closedAt, clearingPrice: 70 } });
    expect(state.closedAt).toBe(START + 5_100);
    expect(state.clearingPrice).toBe(70);
    // A snapshot of a closed auction says the same.
    const again = liveFromView(view({ pricing: 'uniform', closedAt, clearingPrice: 70 }));
    expect([again.closedAt, again.clearingPrice]).toEqual([START + 5_100, 70]);
  });

  it('starts over from a snapshot', () => {
    const state = applyLiveEvent(liveFromView(view()), {
      type: 'snapshot',
      data: view({ title: 'Renamed', stock: 1 }),
    });
    expect(state.view.title).toBe('Renamed');
    expect(state.stock).toBe(1);
  });

  it('learns a lower bound on the server clock from price and status events', () => {
    const state = liveFromView(view());
    const price = (nextDropAt: number | null) =>
      ({
        type: 'price',
        data: {
          currentPrice: 0,
          nextPrice: null,
          nextDropAt: nextDropAt === null ? null : new Date(nextDropAt).toISOString(),
        },
      }) as const;
    expect(serverTimeLowerBound(state, price(START + 3_000))).toBe(START + 2_000);
    expect(serverTimeLowerBound(state, price(null))).toBe(START + 4_000);
    // Step 0 is also the price before the start: no proof the auction has begun.
    expect(serverTimeLowerBound(state, price(START + 1_000))).toBeNull();
    expect(serverTimeLowerBound(state, { type: 'status', data: { status: 'ended' } })).toBe(START + 5_000);
    expect(serverTimeLowerBound(state, { type: 'status', data: { status: 'running' } })).toBe(START);
    expect(serverTimeLowerBound(state, { type: 'stock', data: { stock: 1, soldCount: 4 } })).toBeNull();
  });
});
