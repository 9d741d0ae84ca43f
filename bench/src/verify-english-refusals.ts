/**
 * English checks on lateness and on the bids refused at once. A gateway decides from a cached
 * lead that can only lag (the high bid too low, the end too early): it may refuse a bid after
 * the end IT knows while an extension it has not heard of moved the true end later. Those are
 * counted and reported; what must never happen is a refusal before any end it could know, or a
 * bid it accepted before the end failing for lateness.
 */
import { minNextBid } from '@dutch/domain';
import type { EnglishInput } from './verify-english-input.ts';
import { type EnglishReplay, endAt } from './verify-english-replay.ts';
import { fmt, sample } from './verify-format.ts';
import type { Check } from './verify-input.ts';

/** Refusals within this much of the true end are not counted as refused before it (timer and clock granularity). */
export const LATENESS_MARGIN_MS = 50;

export interface LatenessTally {
  /** 202'd bids stamped before the final end that failed AUCTION_NOT_RUNNING: never allowed. */
  readonly acceptedThenLate: readonly string[];
  /** Refused AUCTION_NOT_RUNNING although answered before the scheduled end: never allowed. */
  readonly refusedBeforeScheduledEnd: readonly string[];
  /** Refused AUCTION_NOT_RUNNING when sent before the end as extended by then (the gateway had not heard yet). */
  readonly refusedBeforeExtendedEnd: number;
  /** Refused AUCTION_NOT_RUNNING after the end: right. */
  readonly refusedAfterEnd: number;
}

export function tallyLateness(
  input: Pick<EnglishInput, 'auction' | 'receipts' | 'refusals'>,
  replay: EnglishReplay,
  marginMs = LATENESS_MARGIN_MS,
): LatenessTally {
  const { terms, lead } = input.auction;
  const finalEnd = lead.endsAt;
  const acceptedThenLate = input.receipts
    .filter(
      (r) => r.failureReason === 'AUCTION_NOT_RUNNING' && r.acceptedAt >= terms.startsAt && r.acceptedAt < finalEnd,
    )
    .map((r) => `receipt ${r.id} stamped ${finalEnd - r.acceptedAt} ms before the end failed AUCTION_NOT_RUNNING`);
  const refusedBeforeScheduledEnd: string[] = [];
  let refusedBeforeExtendedEnd = 0;
  let refusedAfterEnd = 0;
  for (const r of input.refusals) {
    if (r.code !== 'AUCTION_NOT_RUNNING' || r.sentAt < terms.startsAt) continue;
    if (r.answeredAt < terms.endsAt) {
      refusedBeforeScheduledEnd.push(
        `buyer ${r.buyerId} refused ${terms.endsAt - r.answeredAt} ms before the scheduled end`,
      );
    } else if (r.sentAt + marginMs < endAt(terms.endsAt, replay.extensions, r.sentAt)) refusedBeforeExtendedEnd++;
    else refusedAfterEnd++;
  }
  return { acceptedThenLate, refusedBeforeScheduledEnd, refusedBeforeExtendedEnd, refusedAfterEnd };
}

/** No bid stamped before the end is refused for lateness. */
export function checkLateness(input: EnglishInput, replay: EnglishReplay): Check {
  const t = tallyLateness(input, replay);
  const wrong = [...t.acceptedThenLate, ...t.refusedBeforeScheduledEnd];
  return {
    name: 'no bid stamped before the end refused for lateness',
    ok: wrong.length === 0,
    detail:
      `${fmt(t.acceptedThenLate.length)} bids answered 202 before the end failed AUCTION_NOT_RUNNING; ` +
      `409 AUCTION_NOT_RUNNING at once: ${fmt(t.refusedBeforeScheduledEnd.length)} before the scheduled end, ` +
      `${fmt(t.refusedBeforeExtendedEnd)} sent more than ${LATENESS_MARGIN_MS} ms before the end as extended by then ` +
      `(the gateway had not yet heard of the extension: allowed, its end can only lag), ${fmt(t.refusedAfterEnd)} after the end` +
      sample(wrong),
  };
}

/**
 * Every bid refused at once for points or for its amount deserved it. A buyer's points + held
 * stay at their start during the phase and a leader raising needs only the difference, so a bid
 * is payable exactly when its amount is within the buyer's start points. The gateway's high bid
 * is at most the highest lead whose settlement had begun by its answer (settled_at is stamped
 * when the transaction starts, before the commit that publishes it).
 */
export function checkEnglishRefusals(input: EnglishInput, replay: EnglishReplay): Check {
  const wrong: string[] = [];
  let points = 0;
  let low = 0;
  const highestBy = highestLeadBy(replay.led);
  for (const r of input.refusals) {
    if (r.code === 'INSUFFICIENT_POINTS') {
      points++;
      const start = input.startPoints.get(r.buyerId) ?? 0;
      if (r.amount <= start) wrong.push(`buyer ${r.buyerId} refused ${r.amount} for points with ${start} points`);
    } else if (r.code === 'BID_TOO_LOW') {
      low++;
      const least = minNextBid(input.auction.terms, highestBy(r.answeredAt));
      if (r.amount >= least)
        wrong.push(`${r.amount} refused BID_TOO_LOW when no settled lead asked more than ${least}`);
    }
  }
  return {
    name: 'every bid refused at once for points or amount deserved it',
    ok: wrong.length === 0,
    detail:
      `${fmt(points)} refused INSUFFICIENT_POINTS (each above the buyer's points), ` +
      `${fmt(low)} refused BID_TOO_LOW (each below the minimum next bid of a lead already settling); ${fmt(wrong.length)} wrong` +
      sample(wrong),
  };
}

/** The highest amount among leads whose settlement began by `at` (null: none), by binary search. */
export function highestLeadBy(
  led: readonly { readonly total: number; readonly settledAt: number }[],
): (at: number) => number | null {
  const sorted = [...led].sort((a, b) => a.settledAt - b.settledAt);
  const times = sorted.map((l) => l.settledAt);
  const best: number[] = [];
  for (const l of sorted) best.push(Math.max(best.at(-1) ?? 0, l.total));
  return (at) => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((times[mid] as number) <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? null : (best[lo - 1] as number);
  };
}
