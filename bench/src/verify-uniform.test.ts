import { type AuctionTerms, closeAuction, type LedgerMove, priceAt, settleBids } from '@dutch/domain';
import { describe, expect, it } from 'vitest';
import { rebateFigures } from './figures.ts';
import type { LedgerRow } from './verify-english-input.ts';
import { clearingPriceOf, type UniformInput, type UniformReceipt, verifyUniform } from './verify-uniform.ts';

const T0 = Date.UTC(2030, 0, 1, 12);
const SELLER = 'seller';

const TERMS: AuctionTerms = {
  sellerId: SELLER,
  startPrice: 100,
  floorPrice: null,
  priceDrop: { kind: 'constant', amount: 5 },
  dropIntervalSeconds: 2,
  startsAt: T0,
  endsAt: T0 + 8_000,
  initialStock: 100,
  perBuyerLimit: 5,
  pricing: 'uniform',
};

/** Bids settled by the domain's settleBids and closed by its closeAuction, as a correct engine leaves them. */
function world(bids: readonly { buyer: string; quantity: number; at: number }[], points: Record<string, number>) {
  const queued = bids.map((b, i) => {
    const acceptedAt = T0 + b.at;
    return {
      receiptId: `r${i + 1}`,
      buyerId: b.buyer,
      quantity: b.quantity,
      unitPrice: priceAt(TERMS, acceptedAt),
      acceptedAt,
    };
  });
  const settled = settleBids(TERMS, { stock: 100, points: new Map(Object.entries(points)), held: new Map() }, queued);
  const purchases = settled.outcomes.filter((o) => o.status === 'PURCHASED');
  const closedAt = TERMS.endsAt + 2_000;
  const plan = closeAuction({ format: 'dutch', terms: TERMS, stock: settled.stockAfter, purchases }, closedAt);
  const closes = new Map(plan.receipts.map((r) => [r.receiptId, r]));
  const receipts: UniformReceipt[] = settled.outcomes.map((o, i) => ({
    id: o.receiptId,
    auctionId: 'a1',
    buyerId: o.buyerId,
    sellerId: SELLER,
    quantity: o.quantity,
    unitPrice: o.unitPrice,
    total: o.total,
    status: o.status,
    failureReason: o.status === 'FAILED' ? o.reason : null,
    acceptedAt: queued[i]?.acceptedAt ?? 0,
    settledAt: (queued[i]?.acceptedAt ?? 0) + 5,
    streamId: `${queued[i]?.acceptedAt}-${i}`,
    settleSeq: i + 1,
    rebate: closes.get(o.receiptId)?.rebate ?? 0,
    finalUnitPrice: closes.get(o.receiptId)?.finalUnitPrice ?? null,
  }));
  const moves: LedgerMove[] = [...settled.moves, ...plan.moves];
  const ledger: LedgerRow[] = moves.map((m) => ({ ...m, receiptId: m.receiptId as string }));
  const input: UniformInput = {
    auction: { id: 'a1', sellerId: SELLER, closedAt, clearingPrice: plan.clearingPrice, sellerHeld: 0 },
    receipts,
    ledger,
  };
  return input;
}

const BIDS = [
  { buyer: 'b1', quantity: 2, at: 500 },
  { buyer: 'b2', quantity: 1, at: 2_500 },
  { buyer: 'poor', quantity: 3, at: 3_000 },
  { buyer: 'b3', quantity: 4, at: 6_500 },
];
const POINTS = { b1: 1_000, b2: 1_000, b3: 1_000, poor: 100 };

const failing = (input: UniformInput) =>
  verifyUniform(input)
    .filter((c) => !c.ok)
    .map((c) => c.name);

describe('verifyUniform', () => {
  it('passes a correct close: everyone pays the lowest price bought at', () => {
    const w = world(BIDS, POINTS);
    expect(w.auction.clearingPrice).toBe(85);
    expect(w.receipts.map((r) => [r.unitPrice, r.rebate])).toEqual([
      [100, 30],
      [95, 10],
      [95, 0],
      [85, 0],
    ]);
    expect(failing(w)).toEqual([]);
    expect(rebateFigures(w.receipts)).toEqual({
      prices: { 100: 1, 95: 1, 85: 1 },
      clearingPrice: 85,
      rebated: 2,
      rebateTotal: 40,
    });
  });

  it('catches a wrong clearing price, and an auction never closed', () => {
    const w = world(BIDS, POINTS);
    expect(failing({ ...w, auction: { ...w.auction, clearingPrice: 95 } })).toEqual([
      'closed at the clearing price: the lowest price bought at',
      'every buyer paid the clearing price',
    ]);
    expect(failing({ ...w, auction: { ...w.auction, closedAt: null } })).toEqual([
      'closed at the clearing price: the lowest price bought at',
    ]);
  });

  it('catches a buyer who paid more than the clearing price', () => {
    const w = world(BIDS, POINTS);
    const receipts = w.receipts.map((r) => (r.id === 'r1' ? { ...r, rebate: 20 } : r));
    expect(failing({ ...w, receipts })).toEqual([
      'every buyer paid the clearing price',
      'purchases, holds, releases and rebates in the ledger',
    ]);
  });

  it('catches a rebate missing from the ledger, a hold never released, and takings still held', () => {
    const w = world(BIDS, POINTS);
    const noRebate = w.ledger.filter((l) => !(l.kind === 'rebate' && l.receiptId === 'r2'));
    expect(failing({ ...w, ledger: noRebate })).toEqual(['purchases, holds, releases and rebates in the ledger']);
    const held = w.ledger.filter((l) => !(l.kind === 'release' && l.receiptId === 'r4'));
    expect(failing({ ...w, ledger: held, auction: { ...w.auction, sellerHeld: 340 } })).toEqual([
      'purchases, holds, releases and rebates in the ledger',
    ]);
  });

  it('has no clearing price when nothing sold', () => {
    expect(clearingPriceOf([{ status: 'FAILED', unitPrice: 90 }])).toBeNull();
    const w = world([{ buyer: 'poor', quantity: 3, at: 0 }], POINTS);
    expect(w.auction.clearingPrice).toBeNull();
    expect(failing(w)).toEqual([]);
  });
});
