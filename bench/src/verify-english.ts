/**
 * The verification of an English phase, as a pure function of what was read back from Postgres
 * and Redis and what the load generator was answered: every outcome replayed through the
 * domain's rules, the winner, every hold and release, points conserved, stream order, and no bid
 * stamped before the end refused for lateness.
 */
import { reserveMet } from '@dutch/domain';
import type { ReceiptRow } from '@dutch/testkit/receipts';
import { checkAudit, checkTransport } from './verify-balances.ts';
import type { EnglishInput, LedgerRow } from './verify-english-input.ts';
import { checkEnglishRefusals, checkLateness } from './verify-english-refusals.ts';
import { type EnglishReplay, LED_STATUSES, replayEnglish, turnOutcomeOf } from './verify-english-replay.ts';
import { fmt, sample } from './verify-format.ts';
import type { Check } from './verify-input.ts';
import { checkAnswers, checkNothingPending, checkSettlementOrder, compareAnswers } from './verify-receipts.ts';

export function verifyEnglish(input: EnglishInput): { checks: Check[]; replay: EnglishReplay } {
  const byId = new Map(input.receipts.map((r) => [r.id, r]));
  const answers = compareAnswers(input, byId);
  const replay = replayEnglish(input.auction.terms, input.receipts, input.startPoints);
  const checks = [
    checkAnswers(input, answers),
    checkEnglishPending(input, answers.missing),
    checkEnglishOutcomes(input, replay),
    checkWinner(input, replay),
    checkHoldsAndReleases(input),
    checkEnglishConserved(input),
    checkSettlementOrder(input, new Map([[input.auction.id, input.receipts]])),
    checkLateness(input, replay),
    checkEnglishRefusals(input, replay),
    checkAudit(input),
    checkTransport(input),
  ];
  return { checks, replay };
}

/** Nothing PENDING: every answered receipt is in Postgres and final (LEADING only for the lead of an open auction). */
export function checkEnglishPending(input: EnglishInput, missing: readonly string[]): Check {
  const { auction } = input;
  const open = auction.closedAt === null;
  const leads = (r: ReceiptRow) => open && r.status === 'LEADING' && r.id === auction.lead.leadingReceiptId;
  const note = open ? ' (the auction is open: its leading receipt stays LEADING)' : '';
  return checkNothingPending(input, missing, leads, note);
}

/** Every receipt's outcome at its turn is the one the rules give, replayed in settlement order. */
export function checkEnglishOutcomes(input: EnglishInput, replay: EnglishReplay): Check {
  const outcomes = new Map<string, number>();
  for (const r of input.receipts) outcomes.set(turnOutcomeOf(r), (outcomes.get(turnOutcomeOf(r)) ?? 0) + 1);
  return {
    name: 'every bid decided by the rules, in settlement order',
    ok: replay.mismatches.length === 0,
    detail:
      `${fmt(input.receipts.length)} receipts replayed one at a time through settleEnglishBids ` +
      `(${[...outcomes].map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}); ${fmt(replay.mismatches.length)} differ` +
      sample(replay.mismatches),
  };
}

/** Problems with the led receipts' final statuses: all OUTBID but the last, which wins, misses the reserve or leads. */
function listLeadStatusProblems(input: EnglishInput, replay: EnglishReplay): string[] {
  const problems: string[] = [];
  const { auction } = input;
  const last = replay.led.at(-1);
  for (const r of replay.led) {
    if (r !== last && r.status !== 'OUTBID') problems.push(`receipt #${r.settleSeq} ${r.id} led, then ${r.status}`);
  }
  const closing = input.receipts.filter((r) => r.status === 'WON' || r.status === 'RESERVE_NOT_MET');
  if (last === undefined) {
    if (closing.length > 0) problems.push(`${closing.length} receipts WON or RESERVE_NOT_MET without a leading bid`);
    return problems;
  }
  const expected =
    auction.closedAt === null ? 'LEADING' : reserveMet(auction.terms, last.total) ? 'WON' : 'RESERVE_NOT_MET';
  if (last.status !== expected)
    problems.push(`the last leading receipt ${last.id} (${last.total}) is ${last.status}, rules say ${expected}`);
  if (closing.length > (auction.closedAt === null ? 0 : 1))
    problems.push(`${closing.length} receipts WON or RESERVE_NOT_MET`);
  const highest = Math.max(...replay.led.map((r) => r.total));
  const firstHighest = replay.led.find((r) => r.total === highest);
  if (firstHighest !== last)
    problems.push(`the highest leading amount ${highest} was first bid by ${firstHighest?.id}`);
  return problems;
}

/** Problems with the auction row: its lead, end, winner and close, against the replay. */
function listAuctionProblems(input: EnglishInput, replay: EnglishReplay): string[] {
  const problems: string[] = [];
  const { auction } = input;
  const { lead } = auction;
  const last = replay.led.at(-1);
  const want = replay.lead;
  if (
    lead.highBid !== want.highBid ||
    lead.leaderId !== want.leaderId ||
    lead.leadingReceiptId !== want.leadingReceiptId
  )
    problems.push(`Postgres lead ${lead.highBid} by ${lead.leaderId}, rules say ${want.highBid} by ${want.leaderId}`);
  if (lead.bidCount !== want.bidCount) problems.push(`bid_count ${lead.bidCount}, rules say ${want.bidCount}`);
  if (lead.endsAt !== want.endsAt)
    problems.push(`ends_at ${new Date(lead.endsAt).toISOString()}, rules say ${new Date(want.endsAt).toISOString()}`);
  if (auction.closedAt === null) return problems;
  if (auction.closedAt < lead.endsAt) problems.push(`closed ${lead.endsAt - auction.closedAt} ms before its end`);
  const won = last !== undefined && reserveMet(auction.terms, last.total);
  const winnerId = won ? last.buyerId : null;
  const finalPrice = won ? last.total : null;
  if (auction.winnerId !== winnerId || auction.finalPrice !== finalPrice)
    problems.push(`winner ${auction.winnerId} at ${auction.finalPrice}, rules say ${winnerId} at ${finalPrice}`);
  return problems;
}

/** The right receipt won: the first bid of the highest leading amount, with the reserve honoured. */
export function checkWinner(input: EnglishInput, replay: EnglishReplay): Check {
  const problems = [...listLeadStatusProblems(input, replay), ...listAuctionProblems(input, replay)];
  const { auction } = input;
  const last = replay.led.at(-1);
  const reserve = auction.terms.reservePrice === null ? 'no reserve' : `reserve ${auction.terms.reservePrice}`;
  const outcome =
    last === undefined
      ? 'no leading bid'
      : `${last.status} ${last.total} by ${last.buyerId} (receipt #${last.settleSeq}, ${reserve})`;
  const extended = auction.lead.endsAt - auction.terms.endsAt;
  return {
    name: auction.closedAt === null ? 'the lead is the right bid' : 'the winner is the right bid',
    ok: problems.length === 0,
    detail:
      `${outcome}; ${fmt(replay.led.length)} leading bids, the end moved ${fmt(extended)} ms by ${fmt(replay.extensions.length)} extensions` +
      (auction.closedAt === null
        ? '; open'
        : `; closed ${fmt(auction.closedAt - auction.lead.endsAt)} ms after its end`) +
      sample(problems),
  };
}

/** The ledger rows each final status calls for: holds, releases and the winner's payment. */
export function expectedMoves(r: ReceiptRow): string[] {
  const own = (kind: string) => `${kind} ${r.total} ${r.buyerId}->${r.buyerId}`;
  switch (r.status) {
    case 'LEADING':
      return [own('hold')];
    case 'OUTBID':
    case 'RESERVE_NOT_MET':
      return [own('hold'), own('release')];
    case 'WON':
      return [own('hold'), own('release'), `purchase ${r.total} ${r.buyerId}->${r.sellerId}`];
    default:
      return [];
  }
}

const describeMove = (l: LedgerRow) => `${l.kind} ${l.amount} ${l.from}->${l.to}`;

/** Every led receipt held its amount, every outbid one got it back, the winner paid: no more, no less. */
export function checkHoldsAndReleases(input: EnglishInput): Check {
  const rows = new Map<string, string[]>();
  for (const l of input.ledger) rows.set(l.receiptId, [...(rows.get(l.receiptId) ?? []), describeMove(l)]);
  const wrong: string[] = [];
  for (const r of input.receipts) {
    const want = expectedMoves(r).sort();
    const have = (rows.get(r.id) ?? []).sort();
    if (want.join('|') !== have.join('|'))
      wrong.push(`${r.status} ${r.id}: [${have.join(', ')}], expected [${want.join(', ')}]`);
  }
  const led = input.receipts.filter((r) => LED_STATUSES.includes(r.status)).length;
  return {
    name: 'every leading bid held, every outbid hold released',
    ok: wrong.length === 0,
    detail: `${fmt(input.ledger.length)} ledger rows for ${fmt(led)} receipts that led; ${fmt(wrong.length)} receipts with other rows${sample(wrong)}`,
  };
}

/** Σ(points + held) = Σ charges, and every member's total moved only by the winner's payment. */
export function checkEnglishConserved(input: EnglishInput): Check {
  const { auction, totals } = input;
  const expected = new Map(input.startPoints);
  if (auction.winnerId !== null && auction.finalPrice !== null) {
    expected.set(auction.winnerId, (expected.get(auction.winnerId) ?? 0) - auction.finalPrice);
    expected.set(auction.terms.sellerId, (expected.get(auction.terms.sellerId) ?? 0) + auction.finalPrice);
  }
  const drift: string[] = [];
  for (const [id, total] of expected) {
    const final = input.final.get(id);
    const heldNow = auction.closedAt === null && id === auction.lead.leaderId ? (auction.lead.highBid ?? 0) : 0;
    if (final === undefined || final.points + final.held !== total || final.held !== heldNow) {
      drift.push(`member ${id}: ${final?.points} + ${final?.held} held, expected ${total - heldNow} + ${heldNow}`);
    }
  }
  const sums = totals.pointsAndHeld === totals.charged;
  if (!sums) drift.unshift(`members hold ${totals.pointsAndHeld} points and held points, ${totals.charged} charged`);
  return {
    name: 'points + held conserved',
    ok: drift.length === 0,
    detail:
      `Σ(points + held) ${fmt(totals.pointsAndHeld)} ${sums ? '=' : '≠'} Σ charges ${fmt(totals.charged)}; ` +
      `${fmt(expected.size)} members: points + held = start, less the winner's payment, plus the seller's takings` +
      sample(drift),
  };
}
