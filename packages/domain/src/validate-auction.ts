import type { AuctionDraft, Millis } from './auction.ts';
import { type DomainError, err, invalid, ok, type Result, type Violation } from './errors.ts';
import { MAX_DURATION_SECONDS, MAX_PERCENT, MAX_PRICE, MAX_STOCK, MIN_PERCENT, START_SKEW_MS } from './limits.ts';
import { stepCount, unclampedPriceAtStep } from './price-schedule.ts';

const isInt = (n: number) => Number.isSafeInteger(n);

/**
 * Checks a whole auction definition against the contract's rules. Every broken rule is
 * reported (a form can show them all), each naming its field and rule.
 * `now` is the server's clock; `startsAt` may lag it by START_SKEW_MS.
 */
export function validateAuction(draft: AuctionDraft, now: Millis): Result<AuctionDraft, DomainError> {
  const violations: Violation[] = [];
  const add = (field: string, rule: string, message: string) => violations.push({ field, rule, message });

  if (draft.title.trim().length === 0) add('title', 'title_required', 'must not be empty');

  const { startPrice, floorPrice, priceDrop } = draft;
  if (!isInt(startPrice) || startPrice < 1 || startPrice > MAX_PRICE) {
    add('startPrice', 'start_price_range', `must be a whole number from 1 to ${MAX_PRICE}`);
  }
  if (floorPrice !== null) {
    if (!isInt(floorPrice) || floorPrice < 1) {
      add('floorPrice', 'floor_price_positive', 'must be a whole number of at least 1');
    } else if (floorPrice >= startPrice) {
      add('floorPrice', 'floor_below_start', 'must be lower than startPrice');
    }
  }
  if (priceDrop.kind === 'constant') {
    if (!isInt(priceDrop.amount) || priceDrop.amount < 1 || priceDrop.amount > MAX_PRICE) {
      add('priceDrop.amount', 'drop_amount_positive', 'must be a whole number greater than 0');
    }
  } else if (!isInt(priceDrop.percent) || priceDrop.percent < MIN_PERCENT || priceDrop.percent > MAX_PERCENT) {
    add('priceDrop.percent', 'drop_percent_range', `must be a whole number from ${MIN_PERCENT} to ${MAX_PERCENT}`);
  }

  const { startsAt, endsAt, dropIntervalSeconds } = draft;
  const timesAreNumbers = Number.isFinite(startsAt) && Number.isFinite(endsAt);
  if (!timesAreNumbers) add('startsAt', 'times_valid', 'startsAt and endsAt must be valid instants');
  if (timesAreNumbers && startsAt < now - START_SKEW_MS) {
    add('startsAt', 'starts_at_not_past', 'must not be in the past');
  }
  const durationMs = endsAt - startsAt;
  let durationOk = false;
  if (timesAreNumbers) {
    if (durationMs <= 0) add('endsAt', 'ends_after_start', 'must be later than startsAt');
    else if (durationMs % 1000 !== 0)
      add('endsAt', 'duration_whole_seconds', 'endsAt - startsAt must be a whole number of seconds');
    else if (durationMs > MAX_DURATION_SECONDS * 1000) {
      add('endsAt', 'duration_max', `endsAt - startsAt must be at most ${MAX_DURATION_SECONDS} seconds`);
    } else durationOk = true;
  }
  let intervalOk = false;
  if (!isInt(dropIntervalSeconds) || dropIntervalSeconds < 1) {
    add('dropIntervalSeconds', 'interval_positive', 'must be a whole number of seconds, at least 1');
  } else if (durationOk && (durationMs / 1000) % dropIntervalSeconds !== 0) {
    add('dropIntervalSeconds', 'interval_divides_duration', 'must divide endsAt - startsAt exactly');
  } else intervalOk = durationOk;

  const priceOk = !violations.some((v) => v.field === 'startPrice' || v.field.startsWith('priceDrop'));
  if (intervalOk && priceOk && floorPrice === null) {
    const last = unclampedPriceAtStep(draft, stepCount(draft) - 1);
    if (last < 1) {
      add(
        'priceDrop',
        'last_price_positive',
        `the price at the last step would be ${last}; give a floorPrice or a gentler drop so it stays at least 1`,
      );
    }
  }

  const { stock, perBuyerLimit } = draft;
  const stockOk = isInt(stock) && stock >= 1 && stock <= MAX_STOCK;
  if (!stockOk) add('stock', 'stock_range', `must be a whole number from 1 to ${MAX_STOCK}`);
  if (!isInt(perBuyerLimit) || perBuyerLimit < 1) {
    add('perBuyerLimit', 'per_buyer_limit_positive', 'must be a whole number of at least 1');
  } else if (stockOk && perBuyerLimit > stock) {
    add('perBuyerLimit', 'per_buyer_limit_within_stock', 'must not exceed stock');
  }

  return violations.length === 0 ? ok(draft) : err(invalid(violations));
}
