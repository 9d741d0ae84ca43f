/**
 * The verification every run ends with, as a pure function of what was read back from
 * Postgres and Redis and what the load generator was answered. It does not reuse the
 * consumer's settlement code: it replays each auction's receipts in settlement order, one at
 * a time, through the domain's own rules (settleBids), and checks that every outcome, every
 * sold unit and every point moved is what those rules allow.
 */
import { type AuctionTerms, type BidOutcome, FINAL_STATUSES, settleBids } from '@dutch/domain';
import { compareStreamIds } from '@dutch/stream';
import type { ReceiptRow } from '@dutch/testkit/receipts';
import { judgeRefusals, type RefusedBid, type Spending } from './refusals.ts';

export interface AuctionFacts {
  readonly id: string;
  readonly terms: AuctionTerms;
  /** Stock in Postgres at the end. The auction started the run with terms.initialStock. */
  readonly stock: number;
}

export type { ReceiptRow };

/** A receipt as the client saw it in a 2xx (or, from the synchronous design, a 409) answer. */
export interface AnsweredReceipt {
  readonly receiptId: string;
  readonly auctionId: string;
  readonly buyerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly acceptedAt: number;
  /** PENDING from the gateway's 202; the final status from the synchronous design. */
  readonly status: 'PENDING' | 'PURCHASED' | 'FAILED';
  readonly reason?: string | null;
}

export interface QueueState {
  /** Pending-receipt keys still in Redis (a 202'd receipt not yet in Postgres). */
  readonly pendingReceiptKeys: number;
  /** Entries in the streams never delivered to the consumer group (XINFO GROUPS lag). */
  readonly lag: number;
  /** Entries delivered but not acknowledged (XPENDING). */
  readonly pending: number;
}

export interface TransportState {
  readonly transportErrors: number;
  readonly timeouts: number;
  readonly status5xx: number;
  /** Statuses the scenario does not expect (e.g. 400, 401, 429), with counts. */
  readonly unexpected: Readonly<Record<string, number>>;
}

export interface OutcomeInput {
  readonly auctions: readonly AuctionFacts[];
  readonly receipts: readonly ReceiptRow[];
  readonly answers: readonly AnsweredReceipt[];
  /** Bids the gateway refused at once, 409 INSUFFICIENT_POINTS (no receipt). */
  readonly refusals: readonly RefusedBid[];
  /** Every touched member's points before the phase (buyers and sellers). */
  readonly startPoints: ReadonlyMap<string, number>;
  readonly finalPoints: ReadonlyMap<string, number>;
  /** Receipts settled whose answer the client never read: at most one in flight per connection per run. */
  readonly unansweredAllowance: number;
  /** null for the synchronous design, which has no queue. */
  readonly queue: QueueState | null;
  /** auditLedger()'s problems, scoped to the phase's auctions. */
  readonly audit: readonly string[];
  readonly transport: TransportState;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

const FINAL = new Set<string>(FINAL_STATUSES);
const fmt = (n: number) => n.toLocaleString('en-US');
const sample = (items: readonly string[], n = 3) =>
  items.length === 0
    ? ''
    : ` e.g. ${items.slice(0, n).join('; ')}${items.length > n ? ` (+${items.length - n} more)` : ''}`;

/** What settlement has decided so far in one auction's replay. */
export interface ReplayState {
  stock: number;
  readonly held: Map<string, number>;
  readonly spent: Map<string, number>;
}

export interface PointsWindow {
  /** Points the buyer had at the phase start. */
  readonly start: number;
  /** What the buyer spent in the phase's other auctions (settled concurrently, order unknown). */
  readonly elsewhere: number;
}

export interface Ruling {
  /** Outcomes the rules allow; two when points are ambiguous. */
  readonly allowed: readonly string[];
  /** What a purchase costs the buyer. */
  readonly total: number;
}

/**
 * The domain's decision on one receipt, given the state before it. The buyer's balance is
 * only known within a window (other auctions' spending interleaves unknowably), so it is
 * decided at both ends of the window. Only this buyer's entries are passed: settleBids copies
 * its maps, and an auction's held map can name every buyer.
 */
export function ruleOn(
  terms: AuctionTerms,
  receipt: Pick<ReceiptRow, 'id' | 'buyerId' | 'quantity' | 'unitPrice' | 'acceptedAt'>,
  state: ReplayState,
  points: PointsWindow,
): Ruling {
  const { id: receiptId, buyerId, quantity, unitPrice, acceptedAt } = receipt;
  const held = new Map([[buyerId, state.held.get(buyerId) ?? 0]]);
  const decide = (balance: number): BidOutcome => {
    const ledger = { stock: state.stock, held, points: new Map([[buyerId, balance]]) };
    const { outcomes } = settleBids(terms, ledger, [{ receiptId, buyerId, quantity, unitPrice, acceptedAt }]);
    return outcomes[0] as BidOutcome;
  };
  const most = points.start - (state.spent.get(buyerId) ?? 0);
  const richest = decide(most);
  const poorest = decide(most - points.elsewhere);
  const name = (o: BidOutcome) => (o.status === 'FAILED' ? o.reason : o.status);
  return { allowed: [...new Set([name(richest), name(poorest)])], total: richest.total };
}

export const outcomeOf = (r: Pick<ReceiptRow, 'status' | 'failureReason'>): string =>
  r.status === 'FAILED' ? (r.failureReason ?? 'FAILED') : r.status;

export interface AuctionReplay {
  readonly auctionId: string;
  readonly initialStock: number;
  readonly sold: number;
  readonly purchasedUnits: number;
  /** Units the rules would sell in settlement order with unlimited stock. */
  readonly demand: number;
  readonly soldOut: { readonly count: number; readonly minQuantity: number | null };
  readonly mismatches: readonly string[];
  readonly ambiguous: number;
}

/** Replays one auction's receipts (any order; sorted here by settleSeq) against the rules. */
export function replayAuction(
  auction: AuctionFacts,
  receipts: readonly ReceiptRow[],
  startPoints: ReadonlyMap<string, number>,
  spentElsewhere: ReadonlyMap<string, number>,
): AuctionReplay {
  const ordered = [...receipts].sort((a, b) => a.settleSeq - b.settleSeq);
  const { terms } = auction;
  const actual: ReplayState = { stock: terms.initialStock, held: new Map(), spent: new Map() };
  const unlimited: ReplayState = { stock: Number.POSITIVE_INFINITY, held: new Map(), spent: new Map() };
  const mismatches: string[] = [];
  let ambiguous = 0;
  let demand = 0;
  let purchasedUnits = 0;
  let soldOutCount = 0;
  let soldOutMin: number | null = null;
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

  for (const r of ordered) {
    const points = { start: startPoints.get(r.buyerId) ?? 0, elsewhere: spentElsewhere.get(r.buyerId) ?? 0 };
    const outcome = outcomeOf(r);
    const { allowed, total } = ruleOn(terms, r, actual, points);
    if (allowed.length > 1) ambiguous++;
    if (!allowed.includes(outcome)) {
      mismatches.push(`receipt #${r.settleSeq} ${r.id}: ${outcome}, rules say ${allowed.join(' or ')}`);
    }
    if (outcome === 'PURCHASED') {
      actual.stock -= r.quantity;
      purchasedUnits += r.quantity;
      add(actual.held, r.buyerId, r.quantity);
      add(actual.spent, r.buyerId, total);
    }
    if (outcome === 'SOLD_OUT') {
      soldOutCount++;
      soldOutMin = Math.min(soldOutMin ?? r.quantity, r.quantity);
    }
    // Satisfiable demand: the same walk with unlimited stock. Where points are ambiguous
    // (other auctions' spending interleaved unknowably), the settled outcome decides.
    const unlimitedAllowed = ruleOn(terms, r, unlimited, points).allowed;
    const ambiguousPoints = unlimitedAllowed.length > 1;
    const satisfiable =
      unlimitedAllowed.includes('PURCHASED') && !(ambiguousPoints && outcome === 'INSUFFICIENT_POINTS');
    if (satisfiable) {
      demand += r.quantity;
      add(unlimited.held, r.buyerId, r.quantity);
      add(unlimited.spent, r.buyerId, total);
    }
  }
  return {
    auctionId: auction.id,
    initialStock: terms.initialStock,
    sold: terms.initialStock - auction.stock,
    purchasedUnits,
    demand,
    soldOut: { count: soldOutCount, minQuantity: soldOutMin },
    mismatches,
    ambiguous,
  };
}

/**
 * sold = min(stock, satisfiable demand). Bids ask for several units, so an auction can stop
 * a few units short of its stock: that is right only when every bid refused SOLD_OUT asked
 * for more than was left.
 */
export function soldMatchesDemand(replay: AuctionReplay): { ok: boolean; why: string } {
  const { sold, purchasedUnits, demand, initialStock, soldOut } = replay;
  const expected = Math.min(initialStock, demand);
  const left = initialStock - sold;
  if (sold !== purchasedUnits) return { ok: false, why: `stock says ${sold} sold, receipts say ${purchasedUnits}` };
  if (sold === expected) return { ok: true, why: `sold ${sold} = min(${initialStock}, ${demand})` };
  if (sold < expected && soldOut.count > 0 && soldOut.minQuantity !== null && left < soldOut.minQuantity) {
    return {
      ok: true,
      why: `sold ${sold} of ${initialStock}: the ${left} left are fewer than any bid refused SOLD_OUT asked for (>= ${soldOut.minQuantity})`,
    };
  }
  return { ok: false, why: `sold ${sold}, but min(stock ${initialStock}, demand ${demand}) = ${expected}` };
}

export function verifyOutcome(input: OutcomeInput): Check[] {
  const checks: Check[] = [];
  const byId = new Map(input.receipts.map((r) => [r.id, r]));
  const byAuction = new Map<string, ReceiptRow[]>(input.auctions.map((a) => [a.id, []]));
  for (const r of input.receipts) byAuction.get(r.auctionId)?.push(r);

  // 1. Every receipt a 2xx named is in Postgres, as the client was told, and nothing else is.
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const missing: string[] = [];
  const different: string[] = [];
  for (const a of input.answers) {
    if (seen.has(a.receiptId)) duplicates.push(a.receiptId);
    seen.add(a.receiptId);
    const row = byId.get(a.receiptId);
    if (row === undefined) {
      missing.push(a.receiptId);
      continue;
    }
    const wrong: string[] = [];
    if (row.auctionId !== a.auctionId) wrong.push('auction');
    if (row.buyerId !== a.buyerId) wrong.push('buyer');
    if (row.quantity !== a.quantity) wrong.push('quantity');
    if (row.unitPrice !== a.unitPrice) wrong.push('unitPrice');
    if (row.acceptedAt !== a.acceptedAt) wrong.push('acceptedAt');
    if (a.status !== 'PENDING' && (row.status !== a.status || (a.reason ?? null) !== (row.failureReason ?? null))) {
      wrong.push(`status ${outcomeOf(row)} (answered ${a.reason ?? a.status})`);
    }
    if (wrong.length > 0) different.push(`${a.receiptId}: ${wrong.join(', ')}`);
  }
  const unanswered = input.receipts.filter((r) => !seen.has(r.id)).length;
  checks.push({
    name: 'every answered receipt accounted for',
    ok:
      duplicates.length === 0 &&
      missing.length === 0 &&
      different.length === 0 &&
      unanswered <= input.unansweredAllowance,
    detail:
      `${fmt(input.answers.length)} answered receipts: ${fmt(missing.length)} missing, ${fmt(different.length)} differing from the answer, ` +
      `${fmt(duplicates.length)} answered twice; ${fmt(unanswered)} settled receipts whose answer was never read ` +
      `(in flight when the load stopped; at most ${fmt(input.unansweredAllowance)})` +
      sample([...missing.map((id) => `${id} missing`), ...different, ...duplicates.map((id) => `${id} twice`)]),
  });

  // 2. Nothing is left PENDING: every answered receipt is final in Postgres, Redis is drained.
  const notFinal = input.receipts.filter((r) => !FINAL.has(r.status));
  const q = input.queue;
  checks.push({
    name: 'no receipt PENDING at the end',
    ok:
      missing.length === 0 &&
      notFinal.length === 0 &&
      (q === null || (q.pendingReceiptKeys === 0 && q.lag === 0 && q.pending === 0)),
    detail:
      `${fmt(missing.length)} answered receipts not in Postgres, ${fmt(notFinal.length)} not final` +
      (q === null
        ? ' (synchronous: no queue)'
        : `; Redis: ${fmt(q.pendingReceiptKeys)} pending receipts, stream lag ${fmt(q.lag)}, ${fmt(q.pending)} unacknowledged`),
  });

  // 3 and 4. Replay every auction in settlement order.
  const spentTotal = new Map<string, number>();
  for (const r of input.receipts) {
    if (r.status === 'PURCHASED') spentTotal.set(r.buyerId, (spentTotal.get(r.buyerId) ?? 0) + r.total);
  }
  const replays: AuctionReplay[] = [];
  for (const auction of input.auctions) {
    const rows = byAuction.get(auction.id) ?? [];
    const here = new Map<string, number>();
    for (const r of rows) if (r.status === 'PURCHASED') here.set(r.buyerId, (here.get(r.buyerId) ?? 0) + r.total);
    const elsewhere = new Map<string, number>();
    for (const [buyer, spent] of spentTotal) elsewhere.set(buyer, spent - (here.get(buyer) ?? 0));
    replays.push(replayAuction(auction, rows, input.startPoints, elsewhere));
  }
  const soldChecks = replays.map((r) => ({ replay: r, ...soldMatchesDemand(r) }));
  const soldBad = soldChecks.filter((c) => !c.ok);
  const totals = replays.reduce(
    (acc, r) => ({ sold: acc.sold + r.sold, stock: acc.stock + r.initialStock, demand: acc.demand + r.demand }),
    { sold: 0, stock: 0, demand: 0 },
  );
  checks.push({
    name: 'sold = min(stock, satisfiable demand)',
    ok: soldBad.length === 0,
    detail:
      (replays.length === 1
        ? (soldChecks[0]?.why ?? '')
        : `${replays.length} auctions: ${fmt(totals.sold)} of ${fmt(totals.stock)} units sold, satisfiable demand ${fmt(totals.demand)}`) +
      ' (demand: units the per-buyer limit and points allow, in settlement order)' +
      sample(soldBad.map((c) => `auction ${c.replay.auctionId}: ${c.why}`)),
  });
  const mismatches = replays.flatMap((r) => r.mismatches);
  const ambiguous = replays.reduce((n, r) => n + r.ambiguous, 0);
  const outcomes = new Map<string, number>();
  for (const r of input.receipts) outcomes.set(outcomeOf(r), (outcomes.get(outcomeOf(r)) ?? 0) + 1);
  checks.push({
    name: 'every outcome follows the rules, in settlement order',
    ok: mismatches.length === 0,
    detail:
      `${fmt(input.receipts.length)} receipts replayed (${[...outcomes].map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}); ` +
      `${fmt(mismatches.length)} differ` +
      (ambiguous > 0 ? `; ${fmt(ambiguous)} depended on other auctions' interleaving and allow either outcome` : '') +
      sample(mismatches),
  });

  // 5. Settlement order is stream order: settle_seq 1..n, stream ids increasing along it.
  const disorder: string[] = [];
  for (const [auctionId, rows] of byAuction) {
    const ordered = [...rows].sort((a, b) => a.settleSeq - b.settleSeq);
    ordered.forEach((r, i) => {
      if (r.settleSeq !== i + 1) disorder.push(`auction ${auctionId}: settle_seq ${r.settleSeq} at position ${i + 1}`);
      const previous = ordered[i - 1];
      if (previous !== undefined && compareStreamIds(previous.streamId, r.streamId) >= 0) {
        disorder.push(`auction ${auctionId}: ${r.streamId} settled after ${previous.streamId}`);
      }
    });
  }
  const auditOrder = input.audit.filter((p) => p.includes('settled after'));
  checks.push({
    name: 'settlement order = stream order',
    ok: disorder.length === 0 && auditOrder.length === 0,
    detail: `${fmt(disorder.length + auditOrder.length)} out of order${sample([...disorder, ...auditOrder])}`,
  });

  // 6. Nothing negative.
  const negatives: string[] = [];
  for (const a of input.auctions) {
    if (a.stock < 0 || a.stock > a.terms.initialStock)
      negatives.push(`auction ${a.id} stock ${a.stock} of ${a.terms.initialStock}`);
  }
  for (const [id, points] of input.finalPoints) if (points < 0) negatives.push(`member ${id} has ${points} points`);
  const auditNegative = input.audit.filter((p) => / has -\d+ points$/.test(p) || /: stock -?\d+ of/.test(p));
  checks.push({
    name: 'no negative stock or points',
    ok: negatives.length === 0 && auditNegative.length === 0,
    detail:
      `${input.auctions.length} auctions, ${fmt(input.finalPoints.size)} members checked` +
      sample([...negatives, ...auditNegative]),
  });

  // 7. Points: every balance moved by exactly its purchases and sales; the ledger agrees.
  const expected = new Map(input.startPoints);
  for (const r of input.receipts) {
    if (r.status !== 'PURCHASED') continue;
    expected.set(r.buyerId, (expected.get(r.buyerId) ?? 0) - r.total);
    expected.set(r.sellerId, (expected.get(r.sellerId) ?? 0) + r.total);
  }
  const drift: string[] = [];
  for (const [id, points] of expected) {
    const final = input.finalPoints.get(id);
    if (final !== points) drift.push(`member ${id}: ${final} points, purchases say ${points}`);
  }
  const auditLedgerLines = input.audit.filter(
    (p) => p.includes('ledger') || p.includes('were charged') || p.includes('purchase and'),
  );
  checks.push({
    name: 'ledger sums = balances',
    ok: drift.length === 0 && auditLedgerLines.length === 0,
    detail:
      `${fmt(expected.size)} balances = start - purchases + sales; ledger rows = balances (auditLedger)` +
      sample([...drift, ...auditLedgerLines]),
  });

  checks.push({
    name: 'auditLedger: every promise holds',
    ok: input.audit.length === 0,
    detail: `${input.audit.length} problems${sample(input.audit)}`,
  });

  checks.push(refusalCheck(input));

  const t = input.transport;
  const unexpected = Object.entries(t.unexpected).filter(([, n]) => n > 0);
  checks.push({
    name: 'every request answered (no 5xx, timeouts or connection errors)',
    ok: t.transportErrors === 0 && t.timeouts === 0 && t.status5xx === 0 && unexpected.length === 0,
    detail:
      `${t.transportErrors} connection errors, ${t.timeouts} timeouts, ${t.status5xx} 5xx` +
      (unexpected.length > 0 ? `, unexpected ${unexpected.map(([s, n]) => `${s} x${n}`).join(', ')}` : ''),
  });
  return checks;
}

/** 9. Every bid refused INSUFFICIENT_POINTS without a receipt was one its buyer could not pay. */
function refusalCheck(input: OutcomeInput): Check {
  const purchases = new Map<string, Spending[]>();
  for (const r of input.receipts) {
    if (r.status !== 'PURCHASED') continue;
    const list = purchases.get(r.buyerId) ?? [];
    list.push({ total: r.total, settledAt: r.settledAt });
    purchases.set(r.buyerId, list);
  }
  const terms = new Map(input.auctions.map((a) => [a.id, a.terms]));
  const verdict = judgeRefusals(input.refusals, terms, input.startPoints, purchases);
  return {
    name: 'every INSUFFICIENT_POINTS refusal was a bid its buyer could not pay',
    ok: verdict.wrong.length === 0,
    detail:
      `${fmt(input.refusals.length)} bids of ${fmt(verdict.buyers)} buyers refused at once: ` +
      `${fmt(verdict.belowAtStart)} cost more than the buyer had at the start, ` +
      `${fmt(verdict.afterSpending)} more than was left after their purchases settled before the answer; ` +
      `${fmt(verdict.wrong.length)} payable` +
      sample(verdict.wrong),
  };
}
