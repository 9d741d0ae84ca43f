import { type EnglishDraft, minNextBid } from '@dutch/domain';
import { formatDuration, formatPoints } from './format.ts';

/** How many of the first bids' minimums the form's preview lists. */
export const PREVIEW_BIDS = 5;

/**
 * The least each of the first `count` leading bids must offer, when every bidder offers just
 * the minimum: the domain's minNextBid applied bid after bid.
 */
export function firstMinimums(terms: Pick<EnglishDraft, 'startPrice' | 'minIncrement'>, count: number): number[] {
  const minimums: number[] = [];
  let highBid: number | null = null;
  for (let i = 0; i < count; i++) {
    const least = minNextBid(terms, highBid);
    minimums.push(least);
    highBid = least;
  }
  return minimums;
}

/** The form's English preview in sentences: the increments, the soft close, the reserve. */
export function summarizeEnglish(
  draft: Pick<EnglishDraft, 'startPrice' | 'minIncrement' | 'reservePrice' | 'extendSeconds'>,
): {
  readonly increments: string;
  readonly softClose: string;
  readonly reserve: string;
} {
  const increments =
    `The first bid must be at least ${formatPoints(draft.startPrice)} points; ` +
    `each later bid at least ${formatPoints(draft.minIncrement)} more than the high bid.`;
  const softClose =
    draft.extendSeconds > 0
      ? `A leading bid in the last ${formatDuration(draft.extendSeconds)} moves the end to ${formatDuration(draft.extendSeconds)} after that bid.`
      : 'The end never moves: bids close at the set time.';
  const reserve =
    draft.reservePrice === null
      ? 'No reserve: the highest bid wins, whatever it is.'
      : `Reserve ${formatPoints(draft.reservePrice)} points: below it the lot is not sold. Only you see this number; bidders see whether it is met.`;
  return { increments, softClose, reserve };
}
