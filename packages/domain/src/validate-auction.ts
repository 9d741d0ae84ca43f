import { type AuctionDraft, type Millis, PRICINGS, type Pricing } from './auction.ts';
import { type DomainError, err, invalid, ok, type Result, type Violation } from './errors.ts';
import { MAX_DURATION_SECONDS, MAX_PERCENT, MAX_PRICE, MAX_STOCK, MIN_PERCENT, START_SKEW_MS } from './limits.ts';
import { stepCount, unclampedPriceAtStep } from './price-schedule.ts';

const isInt = (n: number) => Number.isSafeInteger(n);

const violation = (field: string, rule: string, message: string): Violation => ({ field, rule, message });

/** A Dutch draft as submitted: `pricing` may be left out (clients older than version 2 never send it). */
export type AuctionDraftInput = Omit<AuctionDraft, 'pricing'> & { readonly pricing?: Pricing | undefined };

/**
 * Checks a whole auction definition against the contract's rules. Every broken rule is
 * reported (a form can show them all), each naming its field and rule.
 * `now` is the server's clock; `startsAt` may lag it by START_SKEW_MS.
 * The draft it returns always has `pricing` ('pay_as_bid' when left out).
 */
export function validateAuction(input: AuctionDraftInput, now: Millis): Result<AuctionDraft, DomainError> {
  const draft: AuctionDraft = { ...input, pricing: input.pricing ?? 'pay_as_bid' };
  const violations: Violation[] = [...checkTitle(draft), ...checkPrices(draft), ...checkPriceDrop(draft)];
  const timing = checkTiming(draft, now);
  violations.push(...timing.violations);
  const interval = checkDropInterval(draft, timing.durationOk);
  violations.push(...interval.violations);
  // The last-step check only means something once the price fields themselves are sound.
  const priceOk = !violations.some((v) => v.field === 'startPrice' || v.field.startsWith('priceDrop'));
  if (interval.intervalOk && priceOk) violations.push(...checkLastPrice(draft));
  violations.push(...checkStock(draft), ...checkPricing(draft));

  return violations.length === 0 ? ok(draft) : err(invalid(violations));
}

function checkTitle(draft: AuctionDraft): Violation[] {
  return draft.title.trim().length === 0 ? [violation('title', 'title_required', 'must not be empty')] : [];
}

function checkPrices(draft: AuctionDraft): Violation[] {
  const found: Violation[] = [];
  const { startPrice, floorPrice } = draft;
  if (!isInt(startPrice) || startPrice < 1 || startPrice > MAX_PRICE) {
    found.push(violation('startPrice', 'start_price_range', `must be a whole number from 1 to ${MAX_PRICE}`));
  }
  if (floorPrice !== null) {
    if (!isInt(floorPrice) || floorPrice < 1) {
      found.push(violation('floorPrice', 'floor_price_positive', 'must be a whole number of at least 1'));
    } else if (floorPrice >= startPrice) {
      found.push(violation('floorPrice', 'floor_below_start', 'must be lower than startPrice'));
    }
  }
  return found;
}

function checkPriceDrop(draft: AuctionDraft): Violation[] {
  const { priceDrop } = draft;
  if (priceDrop.kind === 'constant') {
    if (!isInt(priceDrop.amount) || priceDrop.amount < 1 || priceDrop.amount > MAX_PRICE) {
      return [violation('priceDrop.amount', 'drop_amount_positive', 'must be a whole number greater than 0')];
    }
  } else if (!isInt(priceDrop.percent) || priceDrop.percent < MIN_PERCENT || priceDrop.percent > MAX_PERCENT) {
    return [
      violation(
        'priceDrop.percent',
        'drop_percent_range',
        `must be a whole number from ${MIN_PERCENT} to ${MAX_PERCENT}`,
      ),
    ];
  }
  return [];
}

/** Checks startsAt/endsAt; `durationOk` tells the interval check it may divide the duration. */
function checkTiming(draft: AuctionDraft, now: Millis): { violations: Violation[]; durationOk: boolean } {
  const found: Violation[] = [];
  const { startsAt, endsAt } = draft;
  const timesAreNumbers = Number.isFinite(startsAt) && Number.isFinite(endsAt);
  if (!timesAreNumbers) found.push(violation('startsAt', 'times_valid', 'startsAt and endsAt must be valid instants'));
  if (timesAreNumbers && startsAt < now - START_SKEW_MS) {
    found.push(violation('startsAt', 'starts_at_not_past', 'must not be in the past'));
  }
  const durationMs = endsAt - startsAt;
  let durationOk = false;
  if (timesAreNumbers) {
    if (durationMs <= 0) found.push(violation('endsAt', 'ends_after_start', 'must be later than startsAt'));
    else if (durationMs % 1000 !== 0)
      found.push(violation('endsAt', 'duration_whole_seconds', 'endsAt - startsAt must be a whole number of seconds'));
    else if (durationMs > MAX_DURATION_SECONDS * 1000) {
      found.push(
        violation('endsAt', 'duration_max', `endsAt - startsAt must be at most ${MAX_DURATION_SECONDS} seconds`),
      );
    } else durationOk = true;
  }
  return { violations: found, durationOk };
}

function checkDropInterval(draft: AuctionDraft, durationOk: boolean): { violations: Violation[]; intervalOk: boolean } {
  const { startsAt, endsAt, dropIntervalSeconds } = draft;
  const durationMs = endsAt - startsAt;
  if (!isInt(dropIntervalSeconds) || dropIntervalSeconds < 1) {
    return {
      violations: [
        violation('dropIntervalSeconds', 'interval_positive', 'must be a whole number of seconds, at least 1'),
      ],
      intervalOk: false,
    };
  }
  if (durationOk && (durationMs / 1000) % dropIntervalSeconds !== 0) {
    return {
      violations: [
        violation('dropIntervalSeconds', 'interval_divides_duration', 'must divide endsAt - startsAt exactly'),
      ],
      intervalOk: false,
    };
  }
  return { violations: [], intervalOk: durationOk };
}

/** Without a floor, a steep drop could take the last step's price below 1. */
function checkLastPrice(draft: AuctionDraft): Violation[] {
  if (draft.floorPrice !== null) return [];
  const last = unclampedPriceAtStep(draft, stepCount(draft) - 1);
  if (last >= 1) return [];
  return [
    violation(
      'priceDrop',
      'last_price_positive',
      `the price at the last step would be ${last}; give a floorPrice or a gentler drop so it stays at least 1`,
    ),
  ];
}

function checkStock(draft: AuctionDraft): Violation[] {
  const { stock, perBuyerLimit } = draft;
  const found: Violation[] = [];
  const stockOk = isInt(stock) && stock >= 1 && stock <= MAX_STOCK;
  if (!stockOk) found.push(violation('stock', 'stock_range', `must be a whole number from 1 to ${MAX_STOCK}`));
  if (!isInt(perBuyerLimit) || perBuyerLimit < 1) {
    found.push(violation('perBuyerLimit', 'per_buyer_limit_positive', 'must be a whole number of at least 1'));
  } else if (stockOk && perBuyerLimit > stock) {
    found.push(violation('perBuyerLimit', 'per_buyer_limit_within_stock', 'must not exceed stock'));
  }
  return found;
}

/** The type says Pricing, but a draft can come from anywhere the type system does not reach. */
function checkPricing(draft: AuctionDraft): Violation[] {
  if ((PRICINGS as readonly string[]).includes(draft.pricing)) return [];
  return [violation('pricing', 'pricing_known', `must be one of ${PRICINGS.join(', ')}`)];
}
