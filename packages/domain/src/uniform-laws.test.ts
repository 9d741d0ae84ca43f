import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuctionTerms } from './auction.ts';
import { closeAuction, type PurchasedReceipt } from './close-auction.ts';
import { SELLER, sec, T0 } from './fixtures.test-util.ts';
import type { LedgerMove } from './ledger.ts';
import { applyMoves, type Book, bookOf, expectOneRowPerReceiptAndKind } from './ledger-book.test-util.ts';
import { priceAt } from './price-schedule.ts';
import { settleBids } from './settle-bids.ts';
import { settleRefunds } from './settle-refunds.ts';

const BUYERS = ['a', 'b', 'c', 'd'] as const;
/** Where a seller spends points meanwhile: someone outside the auction. */
const SHOP = 'shop';

const historyArb = fc.record({
  startPrice: fc.integer({ min: 20, max: 1_000 }),
  drop: fc.oneof(
    fc.record({ kind: fc.constant('constant' as const), amount: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ kind: fc.constant('percentage' as const), percent: fc.integer({ min: 1, max: 30 }) }),
  ),
  intervalSeconds: fc.integer({ min: 5, max: 60 }),
  steps: fc.integer({ min: 2, max: 15 }),
  stock: fc.integer({ min: 1, max: 25 }),
  limit: fc.integer({ min: 1, max: 8 }),
  points: fc.tuple(...BUYERS.map(() => fc.integer({ min: 0, max: 6_000 }))),
  /** The seller's own points: free to spend, unlike their takings. */
  sellerPoints: fc.integer({ min: 0, max: 3_000 }),
  runs: fc.array(
    fc.record({
      bids: fc.array(
        fc.record({
          buyer: fc.constantFrom(...BUYERS),
          quantity: fc.integer({ min: 1, max: 8 }),
          /** Where in the auction the bid is stamped, in thousandths of the duration (a few land outside it). */
          at: fc.integer({ min: -20, max: 1_050 }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      /** Share (in percent) of their free points the seller spends before the run. */
      spend: fc.integer({ min: 0, max: 100 }),
    }),
    { minLength: 1, maxLength: 8 },
  ),
  /** Receipts (by index among the purchases) refunded after the end, before and after the close. */
  refundsBeforeClose: fc.array(fc.nat(40), { maxLength: 4 }),
  refundsAfterClose: fc.array(fc.nat(40), { maxLength: 4 }),
});

type History = typeof historyArb extends fc.Arbitrary<infer H> ? H : never;

function termsOf(h: History): AuctionTerms {
  const floorPrice = h.drop.kind === 'percentage' ? 1 : null;
  // A constant drop that would reach 0 gets a floor instead, as validation would demand.
  const lowest = h.drop.kind === 'constant' ? h.startPrice - (h.steps - 1) * h.drop.amount : 1;
  return {
    sellerId: SELLER,
    startPrice: h.startPrice,
    floorPrice: lowest >= 1 ? floorPrice : 1,
    priceDrop: h.drop,
    dropIntervalSeconds: h.intervalSeconds,
    startsAt: T0,
    endsAt: T0 + sec(h.intervalSeconds * h.steps),
    initialStock: h.stock,
    perBuyerLimit: Math.min(h.limit, h.stock),
    pricing: 'uniform',
  };
}

interface Kept extends PurchasedReceipt {
  rebate: number;
}

/** Runs the bids, lets the seller spend, and checks the seller's hold covers every purchase. */
function settleHistory(h: History, a: AuctionTerms, book: Book, moves: LedgerMove[]) {
  const kept = new Map<string, Kept>();
  const units = new Map<string, number>();
  const duration = a.endsAt - a.startsAt;
  const stamps = h.runs.flatMap((r) => r.bids.map((b) => b.at)).sort((x, y) => x - y);
  let stock = a.initialStock;
  let n = 0;
  for (const run of h.runs) {
    const spend = Math.floor(((book.points.get(SELLER) ?? 0) * run.spend) / 100);
    if (spend > 0)
      applyMoves(book, [{ kind: 'purchase', from: SELLER, to: SHOP, amount: spend, receiptId: `spend${n}` }]);
    const bids = run.bids.map((b) => {
      const acceptedAt = a.startsAt + Math.round(((stamps[n] ?? 0) * duration) / 1000);
      n += 1;
      return {
        receiptId: `r${n}`,
        buyerId: b.buyer,
        quantity: b.quantity,
        unitPrice: priceAt(a, acceptedAt),
        acceptedAt,
      };
    });
    const s = settleBids(a, { stock, points: book.points, held: units }, bids);
    applyMoves(book, s.moves);
    moves.push(...s.moves);
    stock = s.stockAfter;
    for (const o of s.outcomes) {
      if (o.status !== 'PURCHASED') continue;
      kept.set(o.receiptId, { ...o, rebate: 0 });
      units.set(o.buyerId, (units.get(o.buyerId) ?? 0) + o.quantity);
    }
    // Whatever the seller spent, their held points are exactly their takings so far.
    expect(book.held.get(SELLER) ?? 0).toBe([...kept.values()].reduce((x, k) => x + k.total, 0));
  }
  return { kept, stock };
}

function refund(a: AuctionTerms, book: Book, kept: Map<string, Kept>, picks: number[], closed: boolean, stock: number) {
  const list = [...kept.values()];
  const requests = picks.flatMap((i) => {
    const receipt = list[i % Math.max(1, list.length)];
    return receipt === undefined
      ? []
      : [{ receipt: { ...receipt, status: 'PURCHASED' as const }, requestedAt: a.endsAt + 500 }];
  });
  const s = settleRefunds({ ...a, sellerTakingsHeld: !closed }, { stock, points: book.points }, requests);
  applyMoves(book, s.moves);
  for (const o of s.outcomes) {
    if (o.result !== 'REFUNDED') continue;
    const k = kept.get(o.receiptId) as Kept;
    // A refund gives back what the buyer finally paid.
    expect(o.total).toBe(k.total - k.rebate);
    kept.delete(o.receiptId);
  }
  // Before the close every refund is payable: it comes out of the seller's hold.
  if (!closed) expect(s.outcomes.every((o) => o.result === 'REFUNDED' || o.result === 'IGNORED')).toBe(true);
  const refunded = s.outcomes.filter((o) => o.result === 'REFUNDED').length;
  return { moves: s.moves, stock: s.stockAfter, refunded };
}

describe('uniform pricing laws', () => {
  it('after the close every buyer paid one clearing price; balances never negative; points + held conserved', () => {
    let cleared = 0;
    let rebated = 0;
    let refundedEarly = 0;
    let spent = 0;
    fc.assert(
      fc.property(historyArb, (h) => {
        const a = termsOf(h);
        const book = bookOf([
          ...BUYERS.map((b, i) => [b, h.points[i] ?? 0] as const),
          [SELLER, h.sellerPoints],
          [SHOP, 0],
        ]);
        const start = new Map(book.points);
        const moves: LedgerMove[] = [];
        const settled = settleHistory(h, a, book, moves);
        const { kept } = settled;
        const early = refund(a, book, kept, h.refundsBeforeClose, false, settled.stock);
        moves.push(...early.moves);
        refundedEarly += early.refunded;
        if ((book.points.get(SHOP) ?? 0) > 0) spent += 1;
        const purchases = [...kept.values()];
        const plan = closeAuction({ format: 'dutch', terms: a, stock: early.stock, purchases }, a.endsAt + 2000);
        applyMoves(book, plan.moves);
        moves.push(...plan.moves);
        expect(book.held.get(SELLER) ?? 0).toBe(0);
        if (purchases.length === 0) {
          expect(plan.clearingPrice).toBeNull();
          return;
        }
        cleared += 1;
        const clearing = plan.clearingPrice as number;
        expect(clearing).toBe(Math.min(...purchases.map((p) => p.unitPrice)));
        for (const r of plan.receipts) {
          const k = kept.get(r.receiptId) as Kept;
          k.rebate = r.rebate ?? 0;
          expect(r.finalUnitPrice).toBe(clearing);
          expect(k.total - k.rebate).toBe(clearing * k.quantity);
          if (k.rebate > 0) rebated += 1;
        }
        expect(plan.receipts.map((r) => r.receiptId).sort()).toEqual([...kept.keys()].sort());
        const late = refund(a, book, kept, h.refundsAfterClose, true, early.stock);
        moves.push(...late.moves);
        expectOneRowPerReceiptAndKind(moves);
        // Each buyer is down exactly the clearing price for each unit they kept.
        for (const b of BUYERS) {
          const keptUnits = [...kept.values()].filter((k) => k.buyerId === b).reduce((x, k) => x + k.quantity, 0);
          expect(book.points.get(b)).toBe((start.get(b) ?? 0) - clearing * keptUnits);
        }
        const soldUnits = [...kept.values()].reduce((x, k) => x + k.quantity, 0);
        expect(a.initialStock - late.stock).toBe(soldUnits);
      }),
      { numRuns: 400 },
    );
    // The generators reach sales at different prices, not only empty or one-price auctions.
    expect(cleared).toBeGreaterThan(150);
    expect(rebated).toBeGreaterThan(100);
    expect(refundedEarly).toBeGreaterThan(50);
    expect(spent).toBeGreaterThan(100);
  });
});
