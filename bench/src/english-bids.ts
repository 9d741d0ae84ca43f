/**
 * The English bids the sniping scenario fires, in three phases. The climb: amounts that rise
 * with every request (a shared counter), spread by noise, so with requests in flight on every
 * connection many are too low by the time they settle (or at once, at a gateway that already
 * knows the high bid). The quiet: bids at the opening price, too low for anyone to lead, so the
 * end stops moving and passes. The late: bids far above the top from snipers who missed the end,
 * which must all fail AUCTION_NOT_RUNNING (in settlement, or at once once the close is queued).
 * And the buyers' points: some have none, some little, so part of every climb cannot pay.
 */
import type { BidBody } from './load.ts';

export interface SnipeSchedule {
  readonly startPrice: number;
  /** Epoch ms the climb starts at. */
  readonly from: number;
  /** How long amounts climb. */
  readonly climbMs: number;
  /** Then how long bids stay at the opening price (longer than the soft close: the end passes). */
  readonly quietMs: number;
  /** Points each request adds to the climb. */
  readonly step: number;
  /** Amounts are spread this much either side of the climb. */
  readonly noise: number;
}

export function englishBody(amount: number): BidBody {
  return { body: `{"amount":${amount}}`, quantity: 1, amount };
}

/**
 * The body of request i sent at `at`: during the climb, startPrice + i * step ± noise; in the
 * quiet, at most `noise` above the opening price; late, ten times the noise above where the
 * climb stopped (above any bid it made) and still climbing.
 */
export function snipeBids(s: SnipeSchedule, random: () => number = Math.random): (i: number, at: number) => BidBody {
  let top: number | null = null;
  return (i, at) => {
    const elapsed = at - s.from;
    if (elapsed < s.climbMs) {
      const noise = Math.round((random() * 2 - 1) * s.noise);
      return englishBody(Math.max(1, s.startPrice + i * s.step + noise));
    }
    top ??= s.startPrice + i * s.step;
    if (elapsed < s.climbMs + s.quietMs) return englishBody(s.startPrice + Math.floor(random() * s.noise));
    return englishBody(top + 10 * s.noise + i * s.step);
  };
}

/** Points for a bidder who should never run short in a climb (a climb stays far below it). */
export const RICH = 1_000_000;

/**
 * Points for `count` buyers: a tenth have none, a tenth a little (up to `little`, which the
 * climb passes early), the rest plenty.
 */
export function sniperFunding(count: number, little: number, random: () => number = Math.random): number[] {
  return Array.from({ length: count }, () => {
    const r = random();
    return r < 0.1 ? 0 : r < 0.2 ? 1 + Math.floor(random() * little) : RICH;
  });
}
