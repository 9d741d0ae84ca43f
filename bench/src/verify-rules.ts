/**
 * Checks 3 and 4: every auction replayed in settlement order, its units sold and each
 * outcome what the rules allow.
 */
import type { ReceiptRow } from '@dutch/testkit/receipts';
import { fmt, sample } from './verify-format.ts';
import type { Check, OutcomeInput } from './verify-input.ts';
import { type AuctionReplay, outcomeOf, replayAuction, soldMatchesDemand } from './verify-replay.ts';

/** Replays every auction, each against what its buyers spent in the other auctions. */
export function replayAuctions(input: OutcomeInput, byAuction: ReadonlyMap<string, ReceiptRow[]>): AuctionReplay[] {
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
  return replays;
}

/** 3. sold = min(stock, satisfiable demand), auction by auction. */
export function checkSold(replays: readonly AuctionReplay[]): Check {
  const soldChecks = replays.map((r) => ({ replay: r, ...soldMatchesDemand(r) }));
  const soldBad = soldChecks.filter((c) => !c.ok);
  const totals = replays.reduce(
    (acc, r) => ({ sold: acc.sold + r.sold, stock: acc.stock + r.initialStock, demand: acc.demand + r.demand }),
    { sold: 0, stock: 0, demand: 0 },
  );
  return {
    name: 'sold = min(stock, satisfiable demand)',
    ok: soldBad.length === 0,
    detail:
      (replays.length === 1
        ? (soldChecks[0]?.why ?? '')
        : `${replays.length} auctions: ${fmt(totals.sold)} of ${fmt(totals.stock)} units sold, satisfiable demand ${fmt(totals.demand)}`) +
      ' (demand: units the per-buyer limit and points allow, in settlement order)' +
      sample(soldBad.map((c) => `auction ${c.replay.auctionId}: ${c.why}`)),
  };
}

/** 4. Every outcome is one the rules allow at its place in settlement order. */
export function checkOutcomes(input: OutcomeInput, replays: readonly AuctionReplay[]): Check {
  const mismatches = replays.flatMap((r) => r.mismatches);
  const ambiguous = replays.reduce((n, r) => n + r.ambiguous, 0);
  const outcomes = new Map<string, number>();
  for (const r of input.receipts) outcomes.set(outcomeOf(r), (outcomes.get(outcomeOf(r)) ?? 0) + 1);
  return {
    name: 'every outcome follows the rules, in settlement order',
    ok: mismatches.length === 0,
    detail:
      `${fmt(input.receipts.length)} receipts replayed (${[...outcomes].map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}); ` +
      `${fmt(mismatches.length)} differ` +
      (ambiguous > 0 ? `; ${fmt(ambiguous)} depended on other auctions' interleaving and allow either outcome` : '') +
      sample(mismatches),
  };
}
