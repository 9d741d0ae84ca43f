import {
  balanceDeltasOf,
  closeAuction,
  type EnglishTerms,
  type LedgerMove,
  openingLead,
  settleEnglishBids,
} from '@dutch/domain';
import { describe, expect, it } from 'vitest';
import type { AnsweredReceipt, ReceiptRow } from './verify.ts';
import { verifyEnglish } from './verify-english.ts';
import type { EnglishInput, LedgerRow, RefusedEnglishBid } from './verify-english-input.ts';
import { highestLeadBy, tallyLateness } from './verify-english-refusals.ts';
import { endAt, replayEnglish } from './verify-english-replay.ts';

const T0 = Date.UTC(2030, 0, 1, 12);
const SELLER = 'seller';

function terms(reservePrice: number | null = 150): EnglishTerms {
  return {
    sellerId: SELLER,
    startPrice: 100,
    minIncrement: 5,
    reservePrice,
    startsAt: T0,
    endsAt: T0 + 6_000,
    extendSeconds: 3,
  };
}

interface Bid {
  readonly buyer: string;
  readonly amount: number;
  /** ms after the start. */
  readonly at: number;
}

/** A settled English receipt row, as Postgres would hold it before any later change. */
function rowOf(id: string, bid: Bid, i: number, status: string, failureReason: string | null): ReceiptRow {
  const acceptedAt = T0 + bid.at;
  const { buyer: buyerId, amount } = bid;
  return {
    ...{ id, auctionId: 'a1', buyerId, sellerId: SELLER, quantity: 1, unitPrice: amount, total: amount },
    ...{
      status,
      failureReason,
      acceptedAt,
      settledAt: acceptedAt + 5,
      streamId: `${acceptedAt}-${i}`,
      settleSeq: i + 1,
    },
  };
}

/** Each bid settled alone, in order, by the domain's settleEnglishBids: receipts, moves and the lead. */
function settleEach(t: EnglishTerms, bids: readonly Bid[], start: ReadonlyMap<string, number>) {
  const free = new Map(start);
  let lead = openingLead(t);
  const statuses = new Map<string, string>();
  const moves: LedgerMove[] = [];
  const receipts = bids.map((bid, i) => {
    const receiptId = `r${i + 1}`;
    const queued = { receiptId, buyerId: bid.buyer, amount: bid.amount, acceptedAt: T0 + bid.at };
    const settled = settleEnglishBids(t, { lead, points: free }, [queued]);
    const outcome = settled.outcomes[0];
    if (outcome === undefined) throw new Error('nothing settled');
    for (const o of settled.outbid) statuses.set(o.receiptId, 'OUTBID');
    for (const [id, d] of balanceDeltasOf(settled.moves).points) free.set(id, (free.get(id) ?? 0) + d);
    moves.push(...settled.moves);
    lead = settled.lead;
    statuses.set(receiptId, outcome.status);
    return rowOf(receiptId, bid, i, outcome.status, outcome.status === 'FAILED' ? outcome.reason : null);
  });
  return { receipts, statuses, moves, lead };
}

/** Every member's points and held points after the moves. */
function balancesAfter(start: ReadonlyMap<string, number>, moves: readonly LedgerMove[]) {
  const deltas = balanceDeltasOf(moves);
  return new Map(
    [...start].map(([id, p]) => [id, { points: p + (deltas.points.get(id) ?? 0), held: deltas.held.get(id) ?? 0 }]),
  );
}

/**
 * What a correct engine leaves behind for these bids: each settled one at a time in order by
 * the domain's settleEnglishBids, then (unless `open`) closed by closeAuction; every test
 * breaks one thing and expects that check alone to catch it.
 */
function world(
  bids: readonly Bid[],
  points: Record<string, number>,
  options: { open?: boolean; reserve?: number | null } = {},
): EnglishInput {
  const t = terms(options.reserve === undefined ? 150 : options.reserve);
  const start = new Map([...Object.entries(points), [SELLER, 0] as const]);
  const { receipts, statuses, moves, lead } = settleEach(t, bids, start);
  let close = { closedAt: null as number | null, winnerId: null as string | null, finalPrice: null as number | null };
  if (options.open !== true) {
    const closedAt = lead.endsAt + 2_000;
    const plan = closeAuction({ format: 'english', terms: t, lead }, closedAt);
    for (const r of plan.receipts) if (r.status !== undefined) statuses.set(r.receiptId, r.status);
    moves.push(...plan.moves);
    close = { closedAt, winnerId: plan.winnerId, finalPrice: plan.finalPrice };
  }
  const answers: AnsweredReceipt[] = receipts.map((r) => ({
    ...{ receiptId: r.id, auctionId: 'a1', buyerId: r.buyerId, quantity: 1, unitPrice: r.total },
    ...{ acceptedAt: r.acceptedAt, status: 'PENDING' as const },
  }));
  const charged = [...start.values()].reduce((a, b) => a + b, 0);
  return {
    auction: { id: 'a1', terms: t, lead, ...close },
    receipts: receipts.map((r) => ({ ...r, status: statuses.get(r.id) ?? r.status })),
    answers,
    ledger: moves.map((m): LedgerRow => ({ ...m, receiptId: m.receiptId as string })),
    startPoints: start,
    final: balancesAfter(start, moves),
    totals: { pointsAndHeld: charged, charged },
    refusals: [],
    unansweredAllowance: 0,
    queue: { pendingReceiptKeys: 0, lag: 0, pending: 0 },
    audit: [],
    transport: { transportErrors: 0, timeouts: 0, status5xx: 0, unexpected: {} },
  };
}

const failing = (input: EnglishInput) =>
  verifyEnglish(input)
    .checks.filter((c) => !c.ok)
    .map((c) => c.name);

/** A snipe: a too-low bid, a buyer short of points, a leader raising, extensions, a bid after the end. */
const SNIPE: Bid[] = [
  { buyer: 'b1', amount: 100, at: 1_000 },
  { buyer: 'b2', amount: 102, at: 1_100 },
  { buyer: 'poor', amount: 120, at: 1_200 },
  { buyer: 'b2', amount: 130, at: 4_000 },
  { buyer: 'b1', amount: 160, at: 5_500 },
  { buyer: 'b1', amount: 170, at: 7_000 },
  { buyer: 'b2', amount: 400, at: 11_000 },
];
const POINTS = { b1: 1_000, b2: 1_000, poor: 50 };

const refusal = (code: string, amount: number, at: number, buyerId = 'b2'): RefusedEnglishBid => ({
  code,
  buyerId,
  amount,
  sentAt: T0 + at,
  answeredAt: T0 + at + 3,
});

describe('verifyEnglish', () => {
  it('passes a correct sniped auction, closed with the reserve met', () => {
    const w = world(SNIPE, POINTS);
    expect(w.receipts.map((r) => r.failureReason ?? r.status)).toEqual([
      'OUTBID',
      'BID_TOO_LOW',
      'INSUFFICIENT_POINTS',
      'OUTBID',
      'OUTBID',
      'WON',
      'AUCTION_NOT_RUNNING',
    ]);
    expect(w.auction.lead.endsAt).toBe(T0 + 10_000);
    expect(failing(w)).toEqual([]);
    const { checks } = verifyEnglish(w);
    expect(checks.find((c) => c.name === 'the winner is the right bid')?.detail).toContain('WON 170 by b1');
  });

  it('passes a reserve not met, and an open auction whose leader still leads', () => {
    const missed = world(SNIPE.slice(0, 4), POINTS);
    expect(missed.receipts.at(-1)?.status).toBe('RESERVE_NOT_MET');
    expect(failing(missed)).toEqual([]);
    const open = world(SNIPE.slice(0, 4), POINTS, { open: true });
    expect(open.receipts.at(-1)?.status).toBe('LEADING');
    expect(failing(open)).toEqual([]);
  });

  it('catches the wrong winner', () => {
    const w = world(SNIPE, POINTS);
    const receipts = w.receipts.map((r) =>
      r.id === 'r5' ? { ...r, status: 'WON' } : r.id === 'r6' ? { ...r, status: 'OUTBID' } : r,
    );
    expect(failing({ ...w, receipts })).toEqual([
      'the winner is the right bid',
      'every leading bid held, every outbid hold released',
    ]);
  });

  it('catches a bid decided against the rules, and a reserve ignored', () => {
    const w = world(SNIPE, POINTS);
    const tooLowLed = w.receipts.map((r) => (r.id === 'r2' ? { ...r, failureReason: 'INSUFFICIENT_POINTS' } : r));
    expect(failing({ ...w, receipts: tooLowLed })).toEqual(['every bid decided by the rules, in settlement order']);
    const missed = world(SNIPE.slice(0, 4), POINTS);
    const wonAnyway = missed.receipts.map((r) => (r.status === 'RESERVE_NOT_MET' ? { ...r, status: 'WON' } : r));
    expect(failing({ ...missed, receipts: wonAnyway })).toContain('the winner is the right bid');
  });

  it('catches an outbid hold never released, and points not conserved', () => {
    const w = world(SNIPE, POINTS);
    const ledger = w.ledger.filter((l) => !(l.kind === 'release' && l.receiptId === 'r1'));
    expect(failing({ ...w, ledger })).toEqual(['every leading bid held, every outbid hold released']);
    const final = new Map(w.final);
    final.set('b2', { points: 900, held: 100 });
    expect(failing({ ...w, final, totals: { pointsAndHeld: 1, charged: 2 } })).toEqual(['points + held conserved']);
  });

  it('catches settlement out of stream order, and an end moved wrongly', () => {
    const w = world(SNIPE, POINTS);
    const receipts = w.receipts.map((r) => (r.id === 'r4' ? { ...r, streamId: `${T0}-0` } : r));
    expect(failing({ ...w, receipts })).toEqual(['settlement order = stream order']);
    const lead = { ...w.auction.lead, endsAt: w.auction.lead.endsAt + 1 };
    expect(failing({ ...w, auction: { ...w.auction, lead } })).toEqual(['the winner is the right bid']);
  });

  it('catches a bid answered 202 before the end that failed for lateness', () => {
    const w = world(SNIPE, POINTS);
    const receipts = w.receipts.map((r) => (r.id === 'r7' ? { ...r, acceptedAt: T0 + 9_000 } : r));
    const answers = w.answers.map((a) => (a.receiptId === 'r7' ? { ...a, acceptedAt: T0 + 9_000 } : a));
    // The rules would have let it lead: the replay's winner differs from the auction's too.
    expect(failing({ ...w, receipts, answers })).toEqual([
      'every bid decided by the rules, in settlement order',
      'the winner is the right bid',
      'no bid stamped before the end refused for lateness',
    ]);
  });

  it('tallies refusals for lateness: before the scheduled end fails, before an unheard extension is counted', () => {
    const w = world(SNIPE, POINTS);
    const refusals = [
      refusal('AUCTION_NOT_RUNNING', 500, 6_500),
      refusal('AUCTION_NOT_RUNNING', 500, 10_500),
      refusal('AUCTION_NOT_RUNNING', 500, 12_000),
    ];
    const replay = replayEnglish(w.auction.terms, w.receipts, w.startPoints);
    expect(tallyLateness({ ...w, refusals }, replay)).toMatchObject({
      refusedBeforeScheduledEnd: [],
      refusedBeforeExtendedEnd: 1,
      refusedAfterEnd: 2,
    });
    const early = [...refusals, refusal('AUCTION_NOT_RUNNING', 500, 5_000)];
    expect(failing({ ...w, refusals: early })).toEqual(['no bid stamped before the end refused for lateness']);
  });

  it('catches a bid refused at once that the buyer could pay, or that was high enough', () => {
    const w = world(SNIPE, POINTS);
    const right = [refusal('INSUFFICIENT_POINTS', 60, 1_300, 'poor'), refusal('BID_TOO_LOW', 104, 1_200)];
    expect(failing({ ...w, refusals: right })).toEqual([]);
    const payable = [refusal('INSUFFICIENT_POINTS', 50, 1_300, 'poor')];
    expect(failing({ ...w, refusals: payable })).toEqual([
      'every bid refused at once for points or amount deserved it',
    ]);
    const highEnough = [refusal('BID_TOO_LOW', 105, 1_200)];
    expect(failing({ ...w, refusals: highEnough })).toEqual([
      'every bid refused at once for points or amount deserved it',
    ]);
  });

  it('catches a receipt left LEADING once closed, and an unanswered queue', () => {
    const w = world(SNIPE, POINTS);
    const receipts = w.receipts.map((r) => (r.id === 'r6' ? { ...r, status: 'LEADING' } : r));
    expect(failing({ ...w, receipts })).toContain('no receipt PENDING at the end');
    expect(failing({ ...w, queue: { pendingReceiptKeys: 0, lag: 3, pending: 0 } })).toEqual([
      'no receipt PENDING at the end',
    ]);
  });
});

describe('English replay helpers', () => {
  it('follows the end as extensions move it', () => {
    const extensions = [
      { acceptedAt: 100, endsAt: 3_100 },
      { acceptedAt: 2_000, endsAt: 5_000 },
    ];
    expect(endAt(3_000, extensions, 50)).toBe(3_000);
    expect(endAt(3_000, extensions, 100)).toBe(3_100);
    expect(endAt(3_000, extensions, 4_000)).toBe(5_000);
  });

  it('finds the highest lead whose settlement began by a time', () => {
    const highest = highestLeadBy([
      { total: 120, settledAt: 20 },
      { total: 100, settledAt: 10 },
      { total: 150, settledAt: 30 },
    ]);
    expect(highest(5)).toBeNull();
    expect(highest(10)).toBe(100);
    expect(highest(25)).toBe(120);
    expect(highest(99)).toBe(150);
  });
});
