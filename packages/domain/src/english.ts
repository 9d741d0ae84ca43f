import type { Millis } from './auction.ts';
import { type DomainError, err, invalid, ok, type Result, refuse } from './errors.ts';
import { MAX_BID_AMOUNT } from './limits.ts';

/** What settlement and admission enforce on an English auction (one lot; the price goes up by bids). */
export interface EnglishTerms {
  readonly sellerId: string;
  readonly startPrice: number;
  readonly minIncrement: number;
  /** Hidden from everyone but the seller; null: any leading bid wins. */
  readonly reservePrice: number | null;
  readonly startsAt: Millis;
  /** The SCHEDULED end; soft close moves the current end, which is `EnglishLead.endsAt`. */
  readonly endsAt: Millis;
  /** A leading bid this close to the current end moves the end to acceptedAt + extendSeconds. */
  readonly extendSeconds: number;
}

/** Everything a seller submits to create (or, merged, to edit) an English auction. */
export interface EnglishDraft {
  readonly title: string;
  readonly description: string;
  readonly startPrice: number;
  readonly minIncrement: number;
  readonly reservePrice: number | null;
  readonly startsAt: Millis;
  readonly endsAt: Millis;
  readonly extendSeconds: number;
}

/** The auction's live English state, as Postgres keeps it (updated by settlement). */
export interface EnglishLead {
  /** null before the first leading bid. */
  readonly highBid: number | null;
  readonly leaderId: string | null;
  readonly leadingReceiptId: string | null;
  /** Leading bids so far (a bid that never led does not count). */
  readonly bidCount: number;
  /** The CURRENT end, soft-close extensions included. */
  readonly endsAt: Millis;
}

/** An English auction is never sold_out: its one lot is only sold at the close. */
export const ENGLISH_STATUSES = Object.freeze(['scheduled', 'running', 'ended'] as const);

export type EnglishStatus = (typeof ENGLISH_STATUSES)[number];

/** The lead of an auction nobody has bid on yet. */
export function openingLead(terms: Pick<EnglishTerms, 'endsAt'>): EnglishLead {
  return { highBid: null, leaderId: null, leadingReceiptId: null, bidCount: 0, endsAt: terms.endsAt };
}

/** The least a bid must offer to lead: startPrice first, then highBid + minIncrement. */
export function minNextBid(terms: Pick<EnglishTerms, 'startPrice' | 'minIncrement'>, highBid: number | null): number {
  return highBid === null ? terms.startPrice : highBid + terms.minIncrement;
}

/** The status by the clock; `endsAt` is the current end (lead.endsAt), not the scheduled one. */
export function englishStatusAt(terms: Pick<EnglishTerms, 'startsAt'>, endsAt: Millis, now: Millis): EnglishStatus {
  if (now < terms.startsAt) return 'scheduled';
  return now < endsAt ? 'running' : 'ended';
}

/**
 * Whether the current high bid would win if the auction closed now. Without a reserve any
 * leading bid wins, but with no bid at all nothing is sold, so the answer is false until the
 * first leading bid: the flag tells bidders "the lot sells at this price", never "there is no reserve".
 */
export function reserveMet(terms: Pick<EnglishTerms, 'reservePrice'>, highBid: number | null): boolean {
  if (highBid === null) return false;
  return terms.reservePrice === null || highBid >= terms.reservePrice;
}

/** The shape of an English bid (the 400): a whole amount from 1 to MAX_BID_AMOUNT. */
export function validateEnglishBid(bid: { readonly amount: number }): Result<true, DomainError> {
  if (Number.isSafeInteger(bid.amount) && bid.amount >= 1 && bid.amount <= MAX_BID_AMOUNT) return ok(true);
  return err(
    invalid([{ field: 'amount', rule: 'amount_range', message: `must be a whole number from 1 to ${MAX_BID_AMOUNT}` }]),
  );
}

/**
 * The gateway's decision on an English bid at its own clock, from its cached lead. The cache can
 * only lag (highBid too low, endsAt too early, since the high bid never falls and the end never moves
 * earlier), so BID_TOO_LOW on it is certain; a stale endsAt can refuse a bid the extension would
 * have let in, which is the price of answering without a round trip (the buyer retries at once).
 */
export function admitEnglishBid(
  terms: EnglishTerms,
  lead: Pick<EnglishLead, 'highBid' | 'endsAt'>,
  bid: { readonly buyerId: string; readonly amount: number },
  now: Millis,
): Result<{ readonly amount: number }, DomainError> {
  const shape = validateEnglishBid(bid);
  if (!shape.ok) return shape;
  if (englishStatusAt(terms, lead.endsAt, now) !== 'running') {
    const message = now < terms.startsAt ? 'The auction has not started yet.' : 'The auction has ended.';
    return err(refuse('AUCTION_NOT_RUNNING', message));
  }
  if (bid.buyerId === terms.sellerId) return err(refuse('OWN_AUCTION', 'Sellers cannot bid on their own auction.'));
  const least = minNextBid(terms, lead.highBid);
  if (bid.amount < least) return err(refuse('BID_TOO_LOW', `The minimum next bid is ${least}.`));
  return ok({ amount: bid.amount });
}
