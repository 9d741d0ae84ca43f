/**
 * Replays one auction's receipts in settlement order through the domain's own rules
 * (settleBids), one at a time, rather than reusing the consumer's settlement code.
 */
import { type AuctionTerms, type BidOutcome, settleBids } from '@dutch/domain';
import type { ReceiptRow } from '@dutch/testkit/receipts';
import type { AuctionFacts } from './verify-input.ts';

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

/** The running tallies of one replay. */
interface ReplayTally {
  readonly actual: ReplayState;
  readonly unlimited: ReplayState;
  readonly mismatches: string[];
  ambiguous: number;
  demand: number;
  purchasedUnits: number;
  soldOutCount: number;
  soldOutMin: number | null;
}

const addTo = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

/** Replays one auction's receipts (any order; sorted here by settleSeq) against the rules. */
export function replayAuction(
  auction: AuctionFacts,
  receipts: readonly ReceiptRow[],
  startPoints: ReadonlyMap<string, number>,
  spentElsewhere: ReadonlyMap<string, number>,
): AuctionReplay {
  const ordered = [...receipts].sort((a, b) => a.settleSeq - b.settleSeq);
  const { terms } = auction;
  const tally: ReplayTally = {
    actual: { stock: terms.initialStock, held: new Map(), spent: new Map() },
    unlimited: { stock: Number.POSITIVE_INFINITY, held: new Map(), spent: new Map() },
    mismatches: [],
    ambiguous: 0,
    demand: 0,
    purchasedUnits: 0,
    soldOutCount: 0,
    soldOutMin: null,
  };
  for (const r of ordered) {
    const points = { start: startPoints.get(r.buyerId) ?? 0, elsewhere: spentElsewhere.get(r.buyerId) ?? 0 };
    replayReceipt(terms, r, points, tally);
  }
  return {
    auctionId: auction.id,
    initialStock: terms.initialStock,
    sold: terms.initialStock - auction.stock,
    purchasedUnits: tally.purchasedUnits,
    demand: tally.demand,
    soldOut: { count: tally.soldOutCount, minQuantity: tally.soldOutMin },
    mismatches: tally.mismatches,
    ambiguous: tally.ambiguous,
  };
}

/** Checks one settled receipt against the rules and applies what it settled. */
function replayReceipt(terms: AuctionTerms, r: ReceiptRow, points: PointsWindow, tally: ReplayTally): void {
  const outcome = outcomeOf(r);
  const { allowed, total } = ruleOn(terms, r, tally.actual, points);
  if (allowed.length > 1) tally.ambiguous++;
  if (!allowed.includes(outcome)) {
    tally.mismatches.push(`receipt #${r.settleSeq} ${r.id}: ${outcome}, rules say ${allowed.join(' or ')}`);
  }
  if (outcome === 'PURCHASED') {
    tally.actual.stock -= r.quantity;
    tally.purchasedUnits += r.quantity;
    addTo(tally.actual.held, r.buyerId, r.quantity);
    addTo(tally.actual.spent, r.buyerId, total);
  }
  if (outcome === 'SOLD_OUT') {
    tally.soldOutCount++;
    tally.soldOutMin = Math.min(tally.soldOutMin ?? r.quantity, r.quantity);
  }
  countDemand(terms, r, points, outcome, total, tally);
}

/**
 * Satisfiable demand: the same walk with unlimited stock. Where points are ambiguous
 * (other auctions' spending interleaved unknowably), the settled outcome decides.
 */
function countDemand(
  terms: AuctionTerms,
  r: ReceiptRow,
  points: PointsWindow,
  outcome: string,
  total: number,
  tally: ReplayTally,
): void {
  const unlimitedAllowed = ruleOn(terms, r, tally.unlimited, points).allowed;
  const ambiguousPoints = unlimitedAllowed.length > 1;
  const satisfiable = unlimitedAllowed.includes('PURCHASED') && !(ambiguousPoints && outcome === 'INSUFFICIENT_POINTS');
  if (satisfiable) {
    tally.demand += r.quantity;
    addTo(tally.unlimited.held, r.buyerId, r.quantity);
    addTo(tally.unlimited.spent, r.buyerId, total);
  }
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
