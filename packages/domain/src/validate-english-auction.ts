import type { Millis } from './auction.ts';
import type { EnglishDraft } from './english.ts';
import { type DomainError, err, invalid, ok, type Result, type Violation } from './errors.ts';
import { MAX_ENGLISH_DURATION_SECONDS, MAX_EXTEND_SECONDS, MAX_PRICE, START_SKEW_MS } from './limits.ts';

/** An English draft as submitted: `extendSeconds` may be left out (0: no soft close). */
export type EnglishDraftInput = Omit<EnglishDraft, 'extendSeconds'> & { readonly extendSeconds?: number | undefined };

const isInt = (n: number) => Number.isSafeInteger(n);

const violation = (field: string, rule: string, message: string): Violation => ({ field, rule, message });

/**
 * Checks an English auction against the contract's rules, reporting every broken one with its
 * field and rule (as validateAuction does for Dutch). `now` is the server's clock; `startsAt`
 * may lag it by START_SKEW_MS. The draft it returns always has `extendSeconds`.
 */
export function validateEnglishAuction(input: EnglishDraftInput, now: Millis): Result<EnglishDraft, DomainError> {
  const draft: EnglishDraft = { ...input, extendSeconds: input.extendSeconds ?? 0 };
  const violations: Violation[] = [
    ...checkTitle(draft),
    ...checkPrices(draft),
    ...checkTiming(draft, now),
    ...checkExtend(draft),
  ];
  return violations.length === 0 ? ok(draft) : err(invalid(violations));
}

function checkTitle(draft: EnglishDraft): Violation[] {
  return draft.title.trim().length === 0 ? [violation('title', 'title_required', 'must not be empty')] : [];
}

function checkPrices(draft: EnglishDraft): Violation[] {
  const found: Violation[] = [];
  const { startPrice, minIncrement, reservePrice } = draft;
  const startOk = isInt(startPrice) && startPrice >= 1 && startPrice <= MAX_PRICE;
  if (!startOk) {
    found.push(violation('startPrice', 'start_price_range', `must be a whole number from 1 to ${MAX_PRICE}`));
  }
  if (!isInt(minIncrement) || minIncrement < 1 || minIncrement > MAX_PRICE) {
    found.push(violation('minIncrement', 'min_increment_range', `must be a whole number from 1 to ${MAX_PRICE}`));
  }
  if (reservePrice !== null) {
    if (!isInt(reservePrice) || reservePrice < 1 || reservePrice > MAX_PRICE) {
      found.push(violation('reservePrice', 'reserve_price_range', `must be a whole number from 1 to ${MAX_PRICE}`));
    } else if (startOk && reservePrice < startPrice) {
      found.push(violation('reservePrice', 'reserve_at_least_start', 'must be at least startPrice'));
    }
  }
  return found;
}

function checkTiming(draft: EnglishDraft, now: Millis): Violation[] {
  const { startsAt, endsAt } = draft;
  if (!Number.isFinite(startsAt) || !Number.isFinite(endsAt)) {
    return [violation('startsAt', 'times_valid', 'startsAt and endsAt must be valid instants')];
  }
  const found: Violation[] = [];
  if (startsAt < now - START_SKEW_MS)
    found.push(violation('startsAt', 'starts_at_not_past', 'must not be in the past'));
  const durationMs = endsAt - startsAt;
  if (durationMs <= 0) found.push(violation('endsAt', 'ends_after_start', 'must be later than startsAt'));
  else if (durationMs % 1000 !== 0) {
    found.push(violation('endsAt', 'duration_whole_seconds', 'endsAt - startsAt must be a whole number of seconds'));
  } else if (durationMs > MAX_ENGLISH_DURATION_SECONDS * 1000) {
    found.push(
      violation(
        'endsAt',
        'duration_max',
        `endsAt - startsAt must be at most ${MAX_ENGLISH_DURATION_SECONDS} seconds (7 days)`,
      ),
    );
  }
  return found;
}

function checkExtend(draft: EnglishDraft): Violation[] {
  const { extendSeconds } = draft;
  if (isInt(extendSeconds) && extendSeconds >= 0 && extendSeconds <= MAX_EXTEND_SECONDS) return [];
  return [violation('extendSeconds', 'extend_seconds_range', `must be a whole number from 0 to ${MAX_EXTEND_SECONDS}`)];
}
