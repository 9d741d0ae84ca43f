import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuctionTerms } from './auction.ts';
import { type CloseInput, closeAuction, type PurchasedReceipt } from './close-auction.ts';
import { type EnglishLead, type EnglishTerms, minNextBid, openingLead } from './english.ts';
import { SELLER, sec, T0 } from './fixtures.test-util.ts';
import { idempotencyScope, type KeyedReceipt } from './idempotency.ts';
import { balanceDeltasOf } from './ledger.ts';
import type { NotificationDraft } from './notification.ts';
import { expectBuyerSafe, expectUniqueKeys } from './notification-checks.test-util.ts';
import { notificationsOfBids, notificationsOfEnglishBids, notificationsOfRefunds } from './notifications-of-bids.ts';
import { notificationsOfClose } from './notifications-of-close.ts';
import { priceAt } from './price-schedule.ts';
import { type QueuedBid, settleBids } from './settle-bids.ts';
import { type QueuedEnglishBid, settleEnglishBids } from './settle-english-bids.ts';
import { settleRefunds } from './settle-refunds.ts';

const BUYERS = ['a', 'b', 'c'] as const;
const AUCTION = { id: 'auction', title: 'Lamp', sellerId: SELLER };

function addAll(points: Map<string, number>, deltas: ReadonlyMap<string, number>): void {
  for (const [member, delta] of deltas) points.set(member, (points.get(member) ?? 0) + delta);
}

/** One receipt notification per decided receipt, to its buyer, keyed by the status it reached. */
function expectOnePerReceipt(
  drafts: readonly NotificationDraft[],
  decided: readonly { receiptId: string; buyerId: string; status: string }[],
): void {
  const receiptDrafts = drafts.filter((d) => d.kind === 'receipt');
  expect(receiptDrafts.map((d) => [d.receiptId, d.memberId, d.dedupeKey]).sort()).toEqual(
    decided.map((r) => [r.receiptId, r.buyerId, `receipt:${r.receiptId}:${r.status}`]).sort(),
  );
  for (const d of receiptDrafts) expect(d.data.status).toBe(d.dedupeKey.split(':')[2]);
}

const dutchArb = fc.record({
  pricing: fc.constantFrom('pay_as_bid' as const, 'uniform' as const),
  stock: fc.integer({ min: 1, max: 12 }),
  points: fc.tuple(...BUYERS.map(() => fc.integer({ min: 0, max: 1_500 }))),
  sellerPoints: fc.integer({ min: 0, max: 500 }),
  runs: fc.array(
    fc.array(
      fc.record({
        buyer: fc.constantFrom(...BUYERS),
        quantity: fc.integer({ min: 1, max: 4 }),
        at: fc.integer({ min: -20, max: 620 }),
        /** A few bids quote a stale price; a few reuse an Idempotency-Key. */
        stale: fc.boolean(),
        key: fc.option(fc.constantFrom('k1', 'k2'), { freq: 3 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    { minLength: 1, maxLength: 6 },
  ),
  refunds: fc.array(fc.record({ pick: fc.nat(30), early: fc.boolean() }), { maxLength: 6 }),
  /** Share (in percent) of their free points the seller spends before the refunds: some then cannot be paid. */
  spend: fc.integer({ min: 0, max: 100 }),
});

type DutchHistory = typeof dutchArb extends fc.Arbitrary<infer H> ? H : never;

/** The auction as the consumer's transactions leave it, with every notification they stored. */
interface DutchReplay {
  readonly terms: AuctionTerms;
  stock: number;
  readonly points: Map<string, number>;
  readonly held: Map<string, number>;
  readonly keyed: Map<string, KeyedReceipt>;
  /** The PURCHASED receipts now (a refund takes one out). */
  readonly purchases: Map<string, PurchasedReceipt>;
  readonly drafts: NotificationDraft[];
}

function startDutch(h: DutchHistory): DutchReplay {
  const terms: AuctionTerms = {
    sellerId: SELLER,
    startPrice: 100,
    floorPrice: 10,
    priceDrop: { kind: 'constant', amount: 10 },
    dropIntervalSeconds: 60,
    startsAt: T0,
    endsAt: T0 + sec(600),
    initialStock: h.stock,
    perBuyerLimit: 6,
    pricing: h.pricing,
  };
  const points = new Map<string, number>(BUYERS.map((b, i) => [b, h.points[i] ?? 0]));
  points.set(SELLER, h.sellerPoints);
  return { terms, stock: h.stock, points, held: new Map(), keyed: new Map(), purchases: new Map(), drafts: [] };
}

/** Settles each run; every run's drafts are one per decided receipt, to its buyer. */
function settleDutchRuns(r: DutchReplay, runs: DutchHistory['runs']): void {
  let seq = 0;
  for (const run of runs) {
    const bids: QueuedBid[] = run.map((b) => {
      const acceptedAt = T0 + b.at * 1000;
      const unitPrice = priceAt(r.terms, acceptedAt) + (b.stale ? 10 : 0);
      const keyOf = b.key === null ? {} : { idempotency: { key: b.key, windowMs: sec(3600) } };
      return { receiptId: `r${++seq}`, buyerId: b.buyer, quantity: b.quantity, unitPrice, acceptedAt, ...keyOf };
    });
    const s = settleBids(r.terms, { stock: r.stock, points: r.points, held: r.held, keyedReceipts: r.keyed }, bids);
    r.stock = s.stockAfter;
    addAll(r.points, s.pointDeltas);
    const drafts = notificationsOfBids(AUCTION, s.outcomes);
    expectOnePerReceipt(drafts, s.outcomes);
    for (const [i, o] of s.outcomes.entries()) {
      if (o.idempotencyKey !== undefined) {
        const acceptedAt = bids[i]?.acceptedAt ?? 0;
        r.keyed.set(idempotencyScope(o.buyerId, o.idempotencyKey), { receiptId: o.receiptId, acceptedAt });
      }
      if (o.status !== 'PURCHASED') continue;
      r.held.set(o.buyerId, (r.held.get(o.buyerId) ?? 0) + o.quantity);
      r.purchases.set(o.receiptId, { ...o });
    }
    r.drafts.push(...drafts);
  }
}

/**
 * Refunds after the end (some asked too early), before the close, once the seller spent some of
 * their points: a pay-as-bid seller may then be unable to pay (a uniform seller's takings are held).
 */
function settleDutchRefunds(r: DutchReplay, h: DutchHistory): void {
  const bought = [...r.purchases.values()];
  const requests = h.refunds.flatMap(({ pick, early }, i) => {
    const p = bought[pick % Math.max(bought.length, 1)];
    if (p === undefined) return [];
    const receipt = { ...p, status: 'PURCHASED' as const };
    return [{ receipt, requestedAt: early ? T0 : r.terms.endsAt + i, requestId: `q${i}` }];
  });
  const free = r.points.get(SELLER) ?? 0;
  r.points.set(SELLER, free - Math.floor((free * h.spend) / 100));
  const auction = { sellerId: SELLER, endsAt: r.terms.endsAt, initialStock: h.stock };
  const settlement = settleRefunds(
    { ...auction, sellerTakingsHeld: h.pricing === 'uniform' },
    { stock: r.stock, points: r.points },
    requests,
  );
  const drafts = notificationsOfRefunds(AUCTION, settlement.outcomes, requests);
  const expected = settlement.outcomes.flatMap((o, i) => {
    const request = requests[i];
    if (o.result === 'IGNORED' || request === undefined) return [];
    if (o.result === 'REFUNDED') r.purchases.delete(o.receiptId);
    const key =
      o.result === 'REFUNDED'
        ? `receipt:${o.receiptId}:REFUNDED`
        : `receipt:${o.receiptId}:REFUND_FAILED:${request.requestId}`;
    return [[o.receiptId, request.receipt.buyerId, key]];
  });
  expect(drafts.map((d) => [d.receiptId, d.memberId, d.dedupeKey]).sort()).toEqual(expected.sort());
  r.drafts.push(...drafts);
}

/** The close: a rebate per rebated receipt to its buyer, and one `sold` with the units and takings left. */
function closeDutch(r: DutchReplay): void {
  const input: CloseInput = { format: 'dutch', terms: r.terms, stock: r.stock, purchases: [...r.purchases.values()] };
  const plan = closeAuction(input, r.terms.endsAt + 1);
  const drafts = notificationsOfClose(AUCTION, plan, input);
  const rebated = plan.receipts.filter((c) => (c.rebate ?? 0) > 0);
  expect(drafts.filter((d) => d.kind === 'rebate').map((d) => [d.receiptId, d.memberId, d.data.rebate])).toEqual(
    rebated.map((c) => [c.receiptId, r.purchases.get(c.receiptId)?.buyerId, c.rebate]),
  );
  const units = input.purchases.reduce((n, p) => n + p.quantity, 0);
  const earned =
    r.terms.pricing === 'uniform'
      ? units * (plan.clearingPrice ?? 0)
      : input.purchases.reduce((n, p) => n + p.total, 0);
  const sold = drafts.filter((d) => d.kind === 'sold');
  expect(sold.map((d) => [d.memberId, d.dedupeKey, d.data.unitsSold, d.data.pointsEarned])).toEqual([
    [SELLER, 'sold:auction', units, earned],
  ]);
  r.drafts.push(...drafts);
}

describe('Dutch notifications over a whole auction (property)', () => {
  it('one per decided receipt to its buyer, rebates and sold once, no (member, key) twice, nothing hidden', () => {
    fc.assert(
      fc.property(dutchArb, (h) => {
        const replay = startDutch(h);
        settleDutchRuns(replay, h.runs);
        settleDutchRefunds(replay, h);
        closeDutch(replay);
        expectUniqueKeys(replay.drafts);
        for (const d of replay.drafts) if (d.memberId !== SELLER) expectBuyerSafe(d);
      }),
      { numRuns: 150 },
    );
  });
});

const englishArb = fc.record({
  startPrice: fc.integer({ min: 1, max: 200 }),
  minIncrement: fc.integer({ min: 1, max: 30 }),
  reserveRaise: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
  points: fc.tuple(...BUYERS.map(() => fc.integer({ min: 0, max: 800 }))),
  runs: fc.array(
    fc.array(fc.record({ buyer: fc.constantFrom(...BUYERS), raise: fc.integer({ min: -20, max: 80 }) }), {
      minLength: 1,
      maxLength: 5,
    }),
    { minLength: 1, maxLength: 8 },
  ),
});

describe('English notifications over a whole auction (property)', () => {
  it('every receipt hears exactly one final word (FAILED, OUTBID, WON or RESERVE_NOT_MET), and the seller one sold', () => {
    fc.assert(
      fc.property(englishArb, (h) => {
        const terms: EnglishTerms = {
          sellerId: SELLER,
          startPrice: h.startPrice,
          minIncrement: h.minIncrement,
          reservePrice: h.reserveRaise === null ? null : h.startPrice + h.reserveRaise,
          startsAt: T0,
          endsAt: T0 + sec(600),
          extendSeconds: 0,
        };
        const points = new Map<string, number>(BUYERS.map((b, i) => [b, h.points[i] ?? 0]));
        let lead: EnglishLead = openingLead(terms);
        let seq = 0;
        const all: NotificationDraft[] = [];
        const buyerOf = new Map<string, string>();

        for (const run of h.runs) {
          const base = minNextBid(terms, lead.highBid);
          const bids: QueuedEnglishBid[] = run.map((b, i) => ({
            receiptId: `r${++seq}`,
            buyerId: b.buyer,
            amount: Math.max(1, base + b.raise + i * terms.minIncrement),
            acceptedAt: T0 + sec(seq),
          }));
          for (const b of bids) buyerOf.set(b.receiptId, b.buyerId);
          const s = settleEnglishBids(terms, { lead, points }, bids);
          addAll(points, balanceDeltasOf(s.moves).points);
          const drafts = notificationsOfEnglishBids(AUCTION, s);
          const decided = [
            ...s.outcomes.filter((o) => o.status !== 'LEADING'),
            ...s.outbid.map((o) => ({ ...o, status: 'OUTBID' })),
          ];
          expectOnePerReceipt(drafts, decided);
          for (const d of drafts.filter((x) => x.data.status === 'OUTBID')) {
            expect(d.data.highBid).toBeGreaterThanOrEqual(Number(d.data.amount) + terms.minIncrement);
          }
          lead = s.lead;
          all.push(...drafts);
        }

        const input: CloseInput = { format: 'english', terms, lead };
        const plan = closeAuction(input, lead.endsAt);
        all.push(...notificationsOfClose(AUCTION, plan, input));

        expectUniqueKeys(all);
        const finals = all.filter((d) => d.kind === 'receipt').map((d) => d.receiptId);
        expect([...finals].sort()).toEqual([...buyerOf.keys()].sort());
        for (const d of all) {
          if (d.kind === 'receipt') expect(d.memberId).toBe(d.receiptId === null ? null : buyerOf.get(d.receiptId));
          if (d.memberId !== SELLER) expectBuyerSafe(d);
        }
        const sold = all.filter((d) => d.kind === 'sold');
        expect(sold.map((d) => [d.memberId, d.data.unitsSold, d.data.pointsEarned])).toEqual([
          [SELLER, plan.winnerId === null ? 0 : 1, plan.finalPrice ?? 0],
        ]);
      }),
      { numRuns: 150 },
    );
  });
});
