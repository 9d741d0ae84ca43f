import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuctionTerms } from './auction.ts';
import { SELLER, sec, T0, terms } from './fixtures.test-util.ts';
import { priceAt } from './price-schedule.ts';
import { type AuctionLedgerState, type QueuedBid, settleBids } from './settle-bids.ts';

const bidAt = (
  receiptId: string,
  buyerId: string,
  quantity: number,
  auction: AuctionTerms,
  acceptedAt = T0,
): QueuedBid => ({
  receiptId,
  buyerId,
  quantity,
  unitPrice: priceAt(auction, acceptedAt),
  acceptedAt,
});

function richState(buyers: string[], stock: number, points = 1_000_000): AuctionLedgerState {
  return { stock, points: new Map([...buyers.map((b) => [b, points] as const), [SELLER, 0]]), held: new Map() };
}

describe('settleBids', () => {
  it('the classic race: stock 10, limit 5, ten buyers x2 -> 5 purchased, 5 SOLD_OUT', () => {
    const a = terms({ initialStock: 10, perBuyerLimit: 5 });
    const buyers = Array.from({ length: 10 }, (_, i) => `b${i}`);
    const bids = buyers.map((b, i) => bidAt(`r${i}`, b, 2, a));
    const result = settleBids(a, richState(buyers, 10), bids);
    expect(result.outcomes.map((o) => o.status)).toEqual([...Array(5).fill('PURCHASED'), ...Array(5).fill('FAILED')]);
    expect(result.outcomes.slice(5).map((o) => (o.status === 'FAILED' ? o.reason : null))).toEqual(
      Array(5).fill('SOLD_OUT'),
    );
    expect(result.stockAfter).toBe(0);
    expect(result.unitsSold).toBe(10);
    expect(result.pointDeltas.get(SELLER)).toBe(10 * 100);
  });

  it('a failed bid never blocks a later, smaller one', () => {
    const a = terms({ initialStock: 3, perBuyerLimit: 3 });
    const result = settleBids(a, richState(['x', 'y', 'z'], 3), [
      bidAt('1', 'x', 2, a),
      bidAt('2', 'y', 2, a),
      bidAt('3', 'z', 1, a),
    ]);
    expect(result.outcomes.map((o) => o.status)).toEqual(['PURCHASED', 'FAILED', 'PURCHASED']);
    expect(result.stockAfter).toBe(0);
  });

  it('fails exactly the poor buyer with INSUFFICIENT_POINTS', () => {
    const a = terms();
    const state: AuctionLedgerState = {
      stock: 10,
      points: new Map([
        ['rich1', 1000],
        ['poor', 150],
        ['rich2', 1000],
      ]),
      held: new Map(),
    };
    const result = settleBids(a, state, [
      bidAt('1', 'rich1', 2, a),
      bidAt('2', 'poor', 2, a),
      bidAt('3', 'rich2', 2, a),
    ]);
    expect(result.outcomes.map((o) => (o.status === 'FAILED' ? o.reason : o.status))).toEqual([
      'PURCHASED',
      'INSUFFICIENT_POINTS',
      'PURCHASED',
    ]);
    expect(result.pointDeltas.get('poor')).toBeUndefined();
    expect(result.pointDeltas.get(SELLER)).toBe(400);
  });

  it('counts earlier purchases and earlier bids in the batch toward the per-buyer limit', () => {
    const a = terms({ perBuyerLimit: 3 });
    const state = { ...richState(['x'], 10), held: new Map([['x', 1]]) };
    const result = settleBids(a, state, [bidAt('1', 'x', 2, a), bidAt('2', 'x', 1, a)]);
    expect(result.outcomes.map((o) => (o.status === 'FAILED' ? o.reason : o.status))).toEqual([
      'PURCHASED',
      'BUYER_LIMIT_EXCEEDED',
    ]);
  });

  it('refuses bids accepted outside the window, or quoted from other terms', () => {
    const a = terms();
    const early = { ...bidAt('1', 'x', 1, a), acceptedAt: T0 - 1 };
    const late = { ...bidAt('2', 'x', 1, a), acceptedAt: T0 + sec(600) };
    const misquoted = { ...bidAt('3', 'x', 1, a), unitPrice: 50 };
    const result = settleBids(a, richState(['x'], 10), [early, late, misquoted]);
    expect(result.outcomes.map((o) => (o.status === 'FAILED' ? o.reason : o.status))).toEqual(
      Array(3).fill('AUCTION_NOT_RUNNING'),
    );
    expect(result.stockAfter).toBe(10);
    expect(result.pointDeltas.size).toBe(0);
  });

  it('serves nothing from a withdrawn (deleted) auction', () => {
    const a = terms();
    const result = settleBids(a, { ...richState(['x'], 10), withdrawn: true }, [bidAt('1', 'x', 1, a)]);
    expect(result.outcomes[0]).toMatchObject({ status: 'FAILED', reason: 'AUCTION_NOT_RUNNING' });
    expect(result.stockAfter).toBe(10);
  });

  it('charges the price at acceptance, not at settlement', () => {
    const a = terms();
    const result = settleBids(a, richState(['x'], 10), [bidAt('1', 'x', 2, a, T0 + sec(125))]);
    expect(result.outcomes[0]).toMatchObject({ status: 'PURCHASED', unitPrice: 80, total: 160 });
  });
});

const batchArb = fc
  .record({
    stock: fc.integer({ min: 0, max: 30 }),
    limit: fc.integer({ min: 1, max: 10 }),
    buyers: fc.array(fc.record({ points: fc.integer({ min: 0, max: 2_000 }), held: fc.integer({ min: 0, max: 5 }) }), {
      minLength: 1,
      maxLength: 8,
    }),
    bids: fc.array(
      fc.record({
        buyer: fc.nat(),
        quantity: fc.integer({ min: 1, max: 10 }),
        second: fc.integer({ min: -30, max: 630 }),
      }),
      { maxLength: 40 },
    ),
  })
  .map(({ stock, limit, buyers, bids }) => {
    const a = terms({ initialStock: Math.max(stock, 1), perBuyerLimit: limit });
    const ids = buyers.map((_, i) => `b${i}`);
    const state: AuctionLedgerState = {
      stock,
      points: new Map([...buyers.map((b, i) => [`b${i}`, b.points] as const), [SELLER, 0]]),
      held: new Map(buyers.map((b, i) => [`b${i}`, b.held] as const)),
    };
    const queued = bids.map((b, i) =>
      bidAt(`r${i}`, ids[b.buyer % ids.length] as string, b.quantity, a, T0 + sec(b.second)),
    );
    return { a, state, queued };
  });

describe('settlement laws', () => {
  it('stock and points never go negative', () => {
    fc.assert(
      fc.property(batchArb, ({ a, state, queued }) => {
        const result = settleBids(a, state, queued);
        expect(result.stockAfter).toBeGreaterThanOrEqual(0);
        for (const [member, delta] of result.pointDeltas) {
          expect((state.points.get(member) ?? 0) + delta).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it('points are conserved and match the units sold', () => {
    fc.assert(
      fc.property(batchArb, ({ a, state, queued }) => {
        const result = settleBids(a, state, queued);
        const sum = [...result.pointDeltas.values()].reduce((x, y) => x + y, 0);
        expect(sum).toBe(0);
        const purchased = result.outcomes.filter((o) => o.status === 'PURCHASED');
        expect(result.unitsSold).toBe(purchased.reduce((n, o) => n + o.quantity, 0));
        expect(state.stock - result.stockAfter).toBe(result.unitsSold);
        expect(result.pointDeltas.get(SELLER) ?? 0).toBe(purchased.reduce((n, o) => n + o.total, 0));
      }),
    );
  });

  it('stream order: each bid is decided on exactly the state the bids before it left', () => {
    fc.assert(
      fc.property(batchArb, ({ a, state, queued }) => {
        const result = settleBids(a, state, queued);
        let stock = state.stock;
        const points = new Map(state.points);
        const held = new Map(state.held);
        result.outcomes.forEach((o, i) => {
          const bid = queued[i] as QueuedBid;
          expect(o.receiptId).toBe(bid.receiptId);
          const running = bid.acceptedAt >= a.startsAt && bid.acceptedAt < a.endsAt;
          const fits = bid.quantity <= stock;
          const within = (held.get(bid.buyerId) ?? 0) + bid.quantity <= a.perBuyerLimit;
          const affordable = (points.get(bid.buyerId) ?? 0) >= o.total;
          if (o.status === 'PURCHASED') {
            expect(running && fits && within && affordable).toBe(true);
            stock -= bid.quantity;
            held.set(bid.buyerId, (held.get(bid.buyerId) ?? 0) + bid.quantity);
            points.set(bid.buyerId, (points.get(bid.buyerId) ?? 0) - o.total);
          } else {
            // A denied bid really could not be served at its turn: no later bid took what it was owed.
            expect(running && fits && within && affordable).toBe(false);
          }
        });
      }),
    );
  });
});

describe('settleBids: uniform pricing and closed auctions', () => {
  it('pay-as-bid writes one purchase row per purchase and holds nothing', () => {
    const a = terms();
    const result = settleBids(a, richState(['x'], 10), [bidAt('r1', 'x', 2, a)]);
    expect(result.moves).toEqual([{ kind: 'purchase', from: 'x', to: SELLER, amount: 200, receiptId: 'r1' }]);
    expect(result.heldDeltas.size).toBe(0);
    expect(result.pointDeltas).toEqual(
      new Map([
        ['x', -200],
        [SELLER, 200],
      ]),
    );
  });

  it('uniform: the seller holds each purchase total at once, so their free points do not move', () => {
    const a = terms({ pricing: 'uniform' });
    const result = settleBids(a, richState(['x', 'y'], 10), [bidAt('r1', 'x', 2, a), bidAt('r2', 'y', 1, a)]);
    expect(result.moves).toEqual([
      { kind: 'purchase', from: 'x', to: SELLER, amount: 200, receiptId: 'r1' },
      { kind: 'hold', from: SELLER, to: SELLER, amount: 200, receiptId: 'r1' },
      { kind: 'purchase', from: 'y', to: SELLER, amount: 100, receiptId: 'r2' },
      { kind: 'hold', from: SELLER, to: SELLER, amount: 100, receiptId: 'r2' },
    ]);
    expect(result.pointDeltas).toEqual(
      new Map([
        ['x', -200],
        ['y', -100],
      ]),
    );
    expect(result.heldDeltas).toEqual(new Map([[SELLER, 300]]));
  });

  it('after a close at the end, every bid fails AUCTION_NOT_RUNNING and nothing moves', () => {
    const a = terms();
    const state = { ...richState(['x'], 10), closed: { by: 'end' as const } };
    const result = settleBids(a, state, [bidAt('r1', 'x', 1, a)]);
    expect(result.outcomes).toMatchObject([{ status: 'FAILED', reason: 'AUCTION_NOT_RUNNING' }]);
    expect(result.moves).toEqual([]);
    expect(result.stockAfter).toBe(10);
  });

  it('after a sell-out close, a bid fails SOLD_OUT when the stock cannot serve it', () => {
    const a = terms();
    const soldOut = { ...richState(['x'], 0), closed: { by: 'sold_out' as const } };
    expect(settleBids(a, soldOut, [bidAt('r1', 'x', 1, a)]).outcomes).toMatchObject([
      { status: 'FAILED', reason: 'SOLD_OUT' },
    ]);
    // Stock a refund put back after the end serves nobody once the auction is closed.
    const restocked = { ...richState(['x'], 2), closed: { by: 'sold_out' as const } };
    expect(settleBids(a, restocked, [bidAt('r1', 'x', 1, a)]).outcomes).toMatchObject([
      { status: 'FAILED', reason: 'AUCTION_NOT_RUNNING' },
    ]);
  });
});
