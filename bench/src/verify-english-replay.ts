/**
 * Replays one English auction's receipts in settlement order, one bid at a time, through the
 * domain's own rules (settleEnglishBids), rather than reusing the consumer's settlement code.
 * The bench funds its English buyers for this phase only, so every buyer's free points are
 * known exactly at every step: the replay's decision is the only right one.
 */
import { type EnglishLead, type EnglishTerms, type LedgerMove, openingLead, settleEnglishBids } from '@dutch/domain';
import type { ReceiptRow } from '@dutch/testkit/receipts';

/** Statuses of a receipt that led at its turn (whatever happened to it afterwards). */
export const LED_STATUSES: readonly string[] = ['LEADING', 'OUTBID', 'WON', 'RESERVE_NOT_MET'];

/** What a receipt's outcome was at its turn: LEADING, or its failure reason. */
export const turnOutcomeOf = (r: Pick<ReceiptRow, 'status' | 'failureReason'>): string =>
  LED_STATUSES.includes(r.status) ? 'LEADING' : r.status === 'FAILED' ? (r.failureReason ?? 'FAILED') : r.status;

/** One moment the current end moved: a leading bid accepted at `acceptedAt` moved it to `endsAt`. */
export interface Extension {
  readonly acceptedAt: number;
  readonly endsAt: number;
}

export interface EnglishReplay {
  /** The lead after the last receipt, as the rules leave it. */
  readonly lead: EnglishLead;
  /** Receipts that led at their turn, in settlement order. */
  readonly led: readonly ReceiptRow[];
  /** "receipt #n id: OUTCOME, rules say X" for every receipt decided otherwise. */
  readonly mismatches: readonly string[];
  readonly extensions: readonly Extension[];
  /** The hold and release rows the rules call for while bidding (the close adds its own). */
  readonly moves: readonly LedgerMove[];
}

/**
 * `terms.endsAt` is the SCHEDULED end: the replay moves the end as the rules say, and the caller
 * compares where it ends up with the end Postgres holds. `startPoints` are the buyers' free
 * points before the phase (they hold nothing then).
 */
export function replayEnglish(
  terms: EnglishTerms,
  receipts: readonly ReceiptRow[],
  startPoints: ReadonlyMap<string, number>,
): EnglishReplay {
  const ordered = [...receipts].sort((a, b) => a.settleSeq - b.settleSeq);
  const points = new Map(startPoints);
  let lead = openingLead(terms);
  const led: ReceiptRow[] = [];
  const mismatches: string[] = [];
  const extensions: Extension[] = [];
  const moves: LedgerMove[] = [];
  for (const r of ordered) {
    const bid = { receiptId: r.id, buyerId: r.buyerId, amount: r.total, acceptedAt: r.acceptedAt };
    const buyers = [r.buyerId, ...(lead.leaderId === null ? [] : [lead.leaderId])];
    const state = { lead, points: new Map(buyers.map((b) => [b, points.get(b) ?? 0])) };
    const settled = settleEnglishBids(terms, state, [bid]);
    const outcome = settled.outcomes[0];
    const ruled = outcome === undefined ? 'nothing' : outcome.status === 'FAILED' ? outcome.reason : 'LEADING';
    const actual = turnOutcomeOf(r);
    if (actual !== ruled) mismatches.push(`receipt #${r.settleSeq} ${r.id}: ${actual}, rules say ${ruled}`);
    if (ruled !== 'LEADING') continue;
    for (const move of settled.moves) {
      const sign = move.kind === 'hold' ? -1 : 1;
      points.set(move.to, (points.get(move.to) ?? 0) + sign * move.amount);
      moves.push(move);
    }
    if (settled.extendedTo !== null) extensions.push({ acceptedAt: r.acceptedAt, endsAt: settled.extendedTo });
    lead = settled.lead;
    led.push(r);
  }
  return { lead, led, mismatches, extensions, moves };
}

/** The current end at `at`, as the leading bids accepted by then moved it (extensions by acceptedAt). */
export function endAt(scheduledEnd: number, extensions: readonly Extension[], at: number): number {
  let end = scheduledEnd;
  for (const e of extensions) if (e.acceptedAt <= at) end = Math.max(end, e.endsAt);
  return end;
}
