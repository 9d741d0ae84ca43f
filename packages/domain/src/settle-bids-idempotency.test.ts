import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SELLER, sec, T0, terms } from './fixtures.test-util.ts';
import { idempotencyScope, type KeyedReceipt } from './idempotency.ts';
import { priceAt } from './price-schedule.ts';
import { type AuctionLedgerState, type BidOutcome, type QueuedBid, settleBids } from './settle-bids.ts';

const DAY = 86_400_000;
const a = terms({ initialStock: 10, perBuyerLimit: 10 });

const keyedBid = (
  receiptId: string,
  buyerId: string,
  key: string | null,
  acceptedAt = T0,
  quantity = 1,
): QueuedBid => ({
  receiptId,
  buyerId,
  quantity,
  unitPrice: priceAt(a, acceptedAt),
  acceptedAt,
  ...(key === null ? {} : { idempotency: { key, windowMs: DAY } }),
});

const state = (keyed: [string, KeyedReceipt][] = [], points = 10_000): AuctionLedgerState => ({
  stock: 10,
  points: new Map([
    ['x', points],
    ['y', points],
    [SELLER, 0],
  ]),
  held: new Map(),
  keyedReceipts: new Map(keyed),
});

const summary = (o: BidOutcome) =>
  o.status === 'FAILED' ? { status: o.status, reason: o.reason, duplicateOf: o.duplicateOf } : { status: o.status };

describe('settleBids and Idempotency-Keys', () => {
  it('fails a retry of a receipt settled earlier (Redis forgot it) as DUPLICATE_REQUEST, taking nothing', () => {
    const first = { receiptId: 'first', acceptedAt: T0 - sec(30) };
    const result = settleBids(a, state([[idempotencyScope('x', 'k'), first]]), [keyedBid('retry', 'x', 'k')]);
    expect(result.outcomes.map(summary)).toEqual([
      { status: 'FAILED', reason: 'DUPLICATE_REQUEST', duplicateOf: 'first' },
    ]);
    expect(result.outcomes[0]?.idempotencyKey).toBeUndefined();
    expect(result.stockAfter).toBe(10);
    expect(result.pointDeltas.size).toBe(0);
  });

  it('treats the key as new once its window has passed, and the new receipt keeps it', () => {
    const old = { receiptId: 'old', acceptedAt: T0 - DAY };
    const result = settleBids(a, state([[idempotencyScope('x', 'k'), old]]), [keyedBid('new', 'x', 'k')]);
    expect(result.outcomes[0]).toMatchObject({ status: 'PURCHASED', idempotencyKey: 'k' });
  });

  it('within one batch, the first bid for a key keeps it (even if it fails) and later ones are its duplicates', () => {
    const result = settleBids(a, state([], 250), [
      keyedBid('1', 'x', 'k', T0, 3),
      keyedBid('2', 'x', 'k', T0, 3),
      keyedBid('3', 'y', 'k'),
      keyedBid('4', 'x', 'other'),
      keyedBid('5', 'x', null),
    ]);
    expect(result.outcomes.map(summary)).toEqual([
      { status: 'FAILED', reason: 'INSUFFICIENT_POINTS', duplicateOf: undefined },
      { status: 'FAILED', reason: 'DUPLICATE_REQUEST', duplicateOf: '1' },
      { status: 'PURCHASED' },
      { status: 'PURCHASED' },
      { status: 'PURCHASED' },
    ]);
    expect(result.outcomes.map((o) => o.idempotencyKey)).toEqual(['k', undefined, 'k', 'other', undefined]);
  });
});

const batchArb = fc.record({
  priors: fc.array(
    fc.record({ buyer: fc.constantFrom('x', 'y'), key: fc.constantFrom('k1', 'k2', 'k3'), ago: fc.nat(2 * DAY) }),
    { maxLength: 4 },
  ),
  bids: fc.array(
    fc.record({
      buyer: fc.constantFrom('x', 'y'),
      key: fc.option(fc.constantFrom('k1', 'k2', 'k3')),
      second: fc.integer({ min: 0, max: 599 }),
      quantity: fc.integer({ min: 1, max: 3 }),
    }),
    { maxLength: 30 },
  ),
});

describe('idempotency laws', () => {
  it('a buyer and key settle at most one purchase per window, and a duplicate names the first receipt for it', () => {
    fc.assert(
      fc.property(batchArb, ({ priors, bids }) => {
        const keyed = priors.map(
          (p, i) => [idempotencyScope(p.buyer, p.key), { receiptId: `p${i}`, acceptedAt: T0 - p.ago }] as const,
        );
        const before: AuctionLedgerState = { ...state(), stock: 100, keyedReceipts: new Map(keyed) };
        const queued = bids.map((b, i) => keyedBid(`r${i}`, b.buyer, b.key, T0 + sec(b.second), b.quantity));
        const result = settleBids(terms({ initialStock: 100, perBuyerLimit: 100 }), before, queued);

        const known = new Map(before.keyedReceipts);
        result.outcomes.forEach((o, i) => {
          const bid = queued[i] as QueuedBid;
          if (bid.idempotency === undefined) {
            expect(o.idempotencyKey).toBeUndefined();
            return;
          }
          const scope = idempotencyScope(bid.buyerId, bid.idempotency.key);
          const first = known.get(scope);
          const retry = first !== undefined && bid.acceptedAt - first.acceptedAt < DAY;
          if (retry) {
            expect(o).toMatchObject({ status: 'FAILED', reason: 'DUPLICATE_REQUEST', duplicateOf: first.receiptId });
            expect(o.idempotencyKey).toBeUndefined();
          } else {
            expect(o.status === 'FAILED' && o.reason === 'DUPLICATE_REQUEST').toBe(false);
            expect(o.idempotencyKey).toBe(bid.idempotency.key);
            known.set(scope, bid);
          }
        });
        // However the batch goes, no key buys twice within a window of its first receipt.
        const purchasesPerScope = new Map<string, number>();
        for (const [i, o] of result.outcomes.entries()) {
          const bid = queued[i] as QueuedBid;
          if (o.status !== 'PURCHASED' || bid.idempotency === undefined) continue;
          const scope = idempotencyScope(bid.buyerId, bid.idempotency.key);
          const prior = before.keyedReceipts?.get(scope);
          expect(prior === undefined || bid.acceptedAt - prior.acceptedAt >= DAY).toBe(true);
          purchasesPerScope.set(scope, (purchasesPerScope.get(scope) ?? 0) + 1);
        }
        // Bids here span 10 minutes, far inside the 24 h window: one purchase per key at most.
        for (const count of purchasesPerScope.values()) expect(count).toBe(1);
      }),
    );
  });
});
