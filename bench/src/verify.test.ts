import { type AuctionTerms, priceAt, type QueuedBid, settleBids } from '@dutch/domain';
import { describe, expect, it } from 'vitest';
import { type RefusedBid, unexpectedAnswers } from './refusals.ts';
import {
  type AnsweredReceipt,
  type AuctionFacts,
  type OutcomeInput,
  type ReceiptRow,
  replayAuction,
  soldMatchesDemand,
  verifyOutcome,
} from './verify.ts';

const T0 = Date.UTC(2030, 0, 1, 12);
const SELLER = 'seller';

function terms(stock: number, perBuyerLimit: number): AuctionTerms {
  return {
    sellerId: SELLER,
    startPrice: 100,
    floorPrice: null,
    priceDrop: { kind: 'constant', amount: 1 },
    dropIntervalSeconds: 60,
    startsAt: T0,
    endsAt: T0 + 3_600_000,
    initialStock: stock,
    perBuyerLimit,
    pricing: 'pay_as_bid',
  };
}

interface Bid {
  readonly buyer: string;
  readonly quantity: number;
  /** ms after the start; 0 by default. */
  readonly at?: number;
}

/**
 * What a correct engine would leave behind for these bids, decided by the domain's own
 * settleBids and priceAt, so each test can break one thing and see it caught.
 */
function world(stock: number, limit: number, bids: readonly Bid[], points: Record<string, number>, id = 'a1') {
  const auction = terms(stock, limit);
  const balance = new Map(Object.entries(points));
  balance.set(SELLER, balance.get(SELLER) ?? 0);
  const start = new Map(balance);
  const queued: QueuedBid[] = bids.map((bid, i) => {
    const acceptedAt = T0 + (bid.at ?? 0);
    const unitPrice = priceAt(auction, acceptedAt);
    return { receiptId: `${id}-r${i + 1}`, buyerId: bid.buyer, quantity: bid.quantity, unitPrice, acceptedAt };
  });
  const settled = settleBids(auction, { stock, points: start, held: new Map() }, queued);
  for (const [member, delta] of settled.pointDeltas) balance.set(member, (balance.get(member) ?? 0) + delta);
  const receipts: ReceiptRow[] = settled.outcomes.map((outcome, i) => {
    const { acceptedAt } = queued[i] as QueuedBid;
    return {
      id: outcome.receiptId,
      auctionId: id,
      buyerId: outcome.buyerId,
      sellerId: SELLER,
      quantity: outcome.quantity,
      unitPrice: outcome.unitPrice,
      total: outcome.total,
      status: outcome.status,
      failureReason: outcome.status === 'FAILED' ? outcome.reason : null,
      acceptedAt,
      settledAt: acceptedAt + 5,
      streamId: `${acceptedAt}-${i}`,
      settleSeq: i + 1,
    };
  });
  const answers: AnsweredReceipt[] = receipts.map((r) => ({
    receiptId: r.id,
    auctionId: id,
    buyerId: r.buyerId,
    quantity: r.quantity,
    unitPrice: r.unitPrice,
    acceptedAt: r.acceptedAt,
    status: 'PENDING',
  }));
  const facts: AuctionFacts = { id, terms: auction, stock: settled.stockAfter };
  return { facts, receipts, answers, start, final: balance };
}

function input(w: ReturnType<typeof world>, overrides: Partial<OutcomeInput> = {}): OutcomeInput {
  return {
    auctions: [w.facts],
    receipts: w.receipts,
    answers: w.answers,
    refusals: [],
    startPoints: w.start,
    finalPoints: w.final,
    unansweredAllowance: 0,
    queue: { pendingReceiptKeys: 0, lag: 0, pending: 0 },
    audit: [],
    transport: { transportErrors: 0, timeouts: 0, status5xx: 0, unexpected: {} },
    ...overrides,
  };
}

const failing = (checks: ReturnType<typeof verifyOutcome>) => checks.filter((c) => !c.ok).map((c) => c.name);

const rich = (...buyers: string[]) => Object.fromEntries(buyers.map((b) => [b, 10_000]));

describe('verifyOutcome', () => {
  const sellOut = () =>
    world(
      5,
      3,
      [
        { buyer: 'b1', quantity: 2 },
        { buyer: 'b2', quantity: 3 },
        { buyer: 'b3', quantity: 1 },
        { buyer: 'b1', quantity: 2 },
      ],
      rich('b1', 'b2', 'b3'),
    );

  it('passes a correct sold-out auction', () => {
    const checks = verifyOutcome(input(sellOut()));
    expect(failing(checks)).toEqual([]);
    expect(checks.find((c) => c.name.startsWith('sold'))?.detail).toContain('sold 5 = min(5, 6)');
  });

  it('passes limits, points and a price step, and counts demand under them', () => {
    const w = world(
      100,
      3,
      [
        { buyer: 'b1', quantity: 3 },
        { buyer: 'b1', quantity: 1 },
        { buyer: 'poor', quantity: 2 },
        { buyer: 'poor', quantity: 1, at: 61_000 },
      ],
      { ...rich('b1'), poor: 150 },
    );
    expect(w.receipts.map((r) => r.failureReason)).toEqual([null, 'BUYER_LIMIT_EXCEEDED', 'INSUFFICIENT_POINTS', null]);
    expect(w.receipts[3]?.unitPrice).toBe(99);
    const checks = verifyOutcome(input(w));
    expect(failing(checks)).toEqual([]);
    expect(checks.find((c) => c.name.startsWith('sold'))?.detail).toContain('sold 4 = min(100, 4)');
  });

  it('catches an oversold auction', () => {
    const w = sellOut();
    const last = w.receipts[3] as ReceiptRow;
    w.receipts[3] = { ...last, status: 'PURCHASED', failureReason: null };
    const facts = { ...w.facts, stock: -2 };
    const final = new Map(w.final);
    final.set('b1', (final.get('b1') ?? 0) - last.total);
    final.set(SELLER, (final.get(SELLER) ?? 0) + last.total);
    expect(failing(verifyOutcome(input(w, { auctions: [facts], finalPoints: final })))).toEqual([
      'sold = min(stock, satisfiable demand)',
      'every outcome follows the rules, in settlement order',
      'no negative stock or points',
    ]);
  });

  it('catches stock left unsold while a bid that fitted was refused SOLD_OUT', () => {
    const w = world(5, 5, [{ buyer: 'b1', quantity: 2 }], rich('b1'));
    const refused: ReceiptRow = {
      ...(w.receipts[0] as ReceiptRow),
      id: 'a1-r2',
      buyerId: 'b2',
      status: 'FAILED',
      failureReason: 'SOLD_OUT',
      settleSeq: 2,
      streamId: `${T0}-9`,
    };
    const answers = [...w.answers, { ...(w.answers[0] as AnsweredReceipt), receiptId: 'a1-r2', buyerId: 'b2' }];
    const checks = verifyOutcome(
      input(w, { receipts: [...w.receipts, refused], answers, startPoints: new Map([...w.start, ['b2', 10_000]]) }),
    );
    expect(failing(checks)).toEqual([
      'sold = min(stock, satisfiable demand)',
      'every outcome follows the rules, in settlement order',
      'ledger sums = balances',
    ]);
  });

  it('accepts units left over when every SOLD_OUT bid asked for more than was left', () => {
    const w = world(
      5,
      5,
      [
        { buyer: 'b1', quantity: 4 },
        { buyer: 'b2', quantity: 3 },
        { buyer: 'b3', quantity: 2 },
      ],
      rich('b1', 'b2', 'b3'),
    );
    expect(w.facts.stock).toBe(1);
    const checks = verifyOutcome(input(w));
    expect(failing(checks)).toEqual([]);
    expect(checks.find((c) => c.name.startsWith('sold'))?.detail).toContain('the 1 left are fewer');
  });

  it('catches a receipt settled out of stream order', () => {
    const w = sellOut();
    const [a, b] = [w.receipts[0] as ReceiptRow, w.receipts[1] as ReceiptRow];
    w.receipts[0] = { ...a, streamId: b.streamId };
    w.receipts[1] = { ...b, streamId: a.streamId };
    expect(failing(verifyOutcome(input(w)))).toEqual(['settlement order = stream order']);
  });

  it('catches a 202 whose receipt never reached Postgres, and one still pending in Redis', () => {
    const w = sellOut();
    const lost = { ...(w.answers[0] as AnsweredReceipt), receiptId: 'lost' };
    const checks = verifyOutcome(
      input(w, { answers: [...w.answers, lost], queue: { pendingReceiptKeys: 1, lag: 0, pending: 0 } }),
    );
    expect(failing(checks)).toEqual(['every answered receipt accounted for', 'no receipt PENDING at the end']);
  });

  it('catches a receipt that differs from what the client was told', () => {
    const w = sellOut();
    w.answers[2] = { ...(w.answers[2] as AnsweredReceipt), unitPrice: 90 };
    const check = verifyOutcome(input(w)).find((c) => c.name === 'every answered receipt accounted for');
    expect(check?.ok).toBe(false);
    expect(check?.detail).toContain('unitPrice');
  });

  it('allows receipts nobody read the answer of, up to the connections in flight', () => {
    const w = sellOut();
    const answers = w.answers.slice(0, 2);
    expect(failing(verifyOutcome(input(w, { answers, unansweredAllowance: 2 })))).toEqual([]);
    expect(failing(verifyOutcome(input(w, { answers, unansweredAllowance: 1 })))).toEqual([
      'every answered receipt accounted for',
    ]);
  });

  it("checks the synchronous design's final answers against Postgres", () => {
    const w = sellOut();
    const answers = w.answers.map((a, i) => {
      const r = w.receipts[i] as ReceiptRow;
      return { ...a, status: r.status as 'PURCHASED' | 'FAILED', reason: r.failureReason };
    });
    expect(failing(verifyOutcome(input(w, { answers, queue: null })))).toEqual([]);
    answers[3] = { ...(answers[3] as AnsweredReceipt), status: 'PURCHASED', reason: null };
    expect(failing(verifyOutcome(input(w, { answers, queue: null })))).toEqual([
      'every answered receipt accounted for',
    ]);
  });

  it('accepts an English bid answered LEADING that was outbid since, not one that failed', () => {
    const w = sellOut();
    const led = { ...w, receipts: w.receipts.map((r) => ({ ...r, status: 'OUTBID' as const, failureReason: null })) };
    const answers = w.answers.map((a) => ({ ...a, status: 'LEADING' as const }));
    expect(verifyOutcome(input(led, { answers, queue: null }))[0]?.ok).toBe(true);
    const failed = verifyOutcome(input(w, { answers, queue: null }))[0];
    expect(failed?.ok).toBe(false);
  });

  it('catches points that moved without a purchase, and what auditLedger reports', () => {
    const w = sellOut();
    const final = new Map(w.final);
    final.set('b3', (final.get('b3') ?? 0) - 1);
    expect(failing(verifyOutcome(input(w, { finalPoints: final })))).toEqual(['ledger sums = balances']);
    const audit = ['member x: balance 5, ledger says 6'];
    expect(failing(verifyOutcome(input(w, { audit })))).toEqual([
      'ledger sums = balances',
      'auditLedger: every promise holds',
    ]);
  });

  it('counts uniform rebates as points given back by the seller', () => {
    const w = sellOut();
    const rebated = w.receipts[0] as ReceiptRow;
    const final = new Map(w.final);
    final.set(rebated.buyerId, (final.get(rebated.buyerId) ?? 0) + 7);
    final.set(SELLER, (final.get(SELLER) ?? 0) - 7);
    const rebates = new Map([[rebated.id, 7]]);
    expect(failing(verifyOutcome(input(w, { finalPoints: final, rebates })))).toEqual([]);
    expect(failing(verifyOutcome(input(w, { finalPoints: final })))).toEqual(['ledger sums = balances']);
  });

  it('fails on 5xx answers, timeouts and unexpected statuses', () => {
    const w = sellOut();
    const transport = { transportErrors: 0, timeouts: 1, status5xx: 0, unexpected: { '401': 3 } };
    const check = verifyOutcome(input(w, { transport })).find((c) => c.name.startsWith('every request answered'));
    expect(check?.ok).toBe(false);
    expect(check?.detail).toContain('401 x3');
  });
});

describe('bids refused at once, 409 INSUFFICIENT_POINTS', () => {
  const REFUSAL_CHECK = 'every INSUFFICIENT_POINTS refusal was a bid its buyer could not pay';
  // b1 buys 2 units (200 points), settled at T0 + 5.
  const spender = () => world(10, 5, [{ buyer: 'b1', quantity: 2 }], { b1: 300, poor: 150, rich: 10_000 });
  const refusal = (buyerId: string, quantity: number, at = 10, auctionId = 'a1'): RefusedBid => ({
    buyerId,
    auctionId,
    quantity,
    sentAt: T0 + at - 2,
    answeredAt: T0 + at,
  });
  const check = (w: ReturnType<typeof world>, refusals: RefusedBid[]) =>
    verifyOutcome(input(w, { refusals })).find((c) => c.name === REFUSAL_CHECK);

  it('passes the refusal of a buyer whose points were below the cost', () => {
    const w = spender();
    expect(failing(verifyOutcome(input(w, { refusals: [refusal('poor', 2), refusal('poor', 5)] })))).toEqual([]);
    expect(check(w, [refusal('poor', 2)])?.detail).toContain('1 cost more than the buyer had at the start');
  });

  it('catches the refusal of a buyer who could pay', () => {
    const w = spender();
    expect(failing(verifyOutcome(input(w, { refusals: [refusal('rich', 5)] })))).toEqual([REFUSAL_CHECK]);
    expect(check(w, [refusal('rich', 5)])?.detail).toContain('refused 5 x 100 = 500 with at least 10000 points');
    // 150 points pay one unit; 300 pay exactly 3 (b1's purchase had not settled at T0 + 2).
    expect(check(w, [refusal('poor', 1)])?.ok).toBe(false);
    expect(check(w, [refusal('b1', 3, 2)])?.ok).toBe(false);
  });

  it("allows a refusal made after the buyer's own purchase settled, not before it", () => {
    const w = spender();
    // 300 - 200 = 100 left: 2 units at 100 cannot be paid once the purchase settled (T0 + 5).
    expect(check(w, [refusal('b1', 2, 10)])?.ok).toBe(true);
    expect(check(w, [refusal('b1', 2, 10)])?.detail).toContain('1 more than was left');
    expect(check(w, [refusal('b1', 2, 4)])?.ok).toBe(false);
  });

  it('judges a refusal stamped across a price step at the highest price it could have had', () => {
    const w = world(10, 5, [], { b2: 495, b3: 500 });
    // Sent at 100 a unit, answered at 99: 495 points may or may not have paid 5 units.
    const across = (buyerId: string): RefusedBid => ({
      buyerId,
      auctionId: 'a1',
      quantity: 5,
      sentAt: T0 + 59_999,
      answeredAt: T0 + 60_001,
    });
    expect(check(w, [across('b2')])?.ok).toBe(true);
    expect(check(w, [across('b3')])?.ok).toBe(false);
  });

  it('catches a refusal on an auction outside the phase', () => {
    const w = spender();
    expect(check(w, [refusal('poor', 5, 10, 'elsewhere')])?.ok).toBe(false);
  });
});

describe('unexpectedAnswers', () => {
  const statuses = { '202': 10, '409': 7, '401': 1 };
  const statusCodes = { '409 INSUFFICIENT_POINTS': 4, '409 SOLD_OUT': 3, '401 UNAUTHORIZED': 1 };

  it('expects a status with any code, or one status and code', () => {
    expect(unexpectedAnswers(statuses, statusCodes, ['202', '409', '401'])).toEqual({});
    expect(unexpectedAnswers(statuses, statusCodes, ['202', '409 INSUFFICIENT_POINTS'])).toEqual({
      '409 SOLD_OUT': 3,
      '401 UNAUTHORIZED': 1,
    });
    expect(unexpectedAnswers(statuses, statusCodes, ['409'])).toEqual({ '202': 10, '401 UNAUTHORIZED': 1 });
  });

  it('leaves 5xx to their own count', () => {
    expect(unexpectedAnswers({ '202': 1, '503': 2 }, { '503 UNAVAILABLE': 2 }, ['202'])).toEqual({});
  });
});

describe('replayAuction across concurrently settled auctions', () => {
  it('accepts either points outcome when spending elsewhere makes it ambiguous, and no other', () => {
    // b1 had 300, spent 200 in another auction settled at an unknown moment: a 200 bid here
    // may or may not have found the points.
    const w = world(10, 5, [{ buyer: 'b1', quantity: 2 }], { b1: 300 });
    const failed = w.receipts.map((r) => ({ ...r, status: 'FAILED', failureReason: 'INSUFFICIENT_POINTS' }));
    const elsewhere = new Map([['b1', 200]]);
    const bought = replayAuction(w.facts, w.receipts, w.start, elsewhere);
    expect(bought.mismatches).toEqual([]);
    expect(bought.ambiguous).toBe(1);
    const refused = replayAuction({ ...w.facts, stock: 10 }, failed, w.start, elsewhere);
    expect(refused.mismatches).toEqual([]);
    expect(refused.demand).toBe(0);
    const tooPoor = replayAuction(w.facts, w.receipts, new Map([['b1', 150]]), new Map());
    expect(tooPoor.mismatches).toHaveLength(1);
  });

  it('judges sold against demand', () => {
    const base = {
      auctionId: 'a',
      initialStock: 10,
      purchasedUnits: 10,
      sold: 10,
      demand: 30,
      soldOut: { count: 4, minQuantity: 1 },
      mismatches: [],
      ambiguous: 0,
    };
    expect(soldMatchesDemand(base).ok).toBe(true);
    expect(soldMatchesDemand({ ...base, sold: 9, purchasedUnits: 9 }).ok).toBe(false);
    expect(soldMatchesDemand({ ...base, sold: 9, purchasedUnits: 9, soldOut: { count: 1, minQuantity: 2 } }).ok).toBe(
      true,
    );
    expect(
      soldMatchesDemand({ ...base, sold: 7, purchasedUnits: 7, demand: 7, soldOut: { count: 0, minQuantity: null } })
        .ok,
    ).toBe(true);
    expect(soldMatchesDemand({ ...base, purchasedUnits: 9 }).ok).toBe(false);
  });
});

describe('drainRate', () => {
  const row = (settledAt: number): ReceiptRow => ({
    id: `r${settledAt}-${Math.random()}`,
    auctionId: 'a',
    buyerId: 'b',
    sellerId: SELLER,
    quantity: 1,
    unitPrice: 100,
    total: 100,
    status: 'FAILED',
    failureReason: 'SOLD_OUT',
    acceptedAt: 0,
    settledAt,
    streamId: '0-0',
    settleSeq: 1,
  });

  it('counts batches started after the release, up to the last batch, over the time since the release', async () => {
    const { drainRate } = await import('./figures.ts');
    // One receipt was waiting on the lock (stamped before the release at 1000), then batches
    // of 3 at 1100 and 1200, and the last batch at 1500.
    const receipts = [row(0), ...[1100, 1100, 1100, 1200, 1200, 1200, 1500, 1500].map(row)];
    expect(drainRate(receipts, 1000)).toBeCloseTo(6 / 0.5);
  });
});
