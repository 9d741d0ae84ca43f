import type { AuctionStatus, Millis, PriceSchedule } from './auction.ts';
import { type DomainError, err, ok, type Result, refuse } from './errors.ts';

/** Whether bids may be accepted at `now`: within [startsAt, endsAt). */
export function isWithinWindow(schedule: Pick<PriceSchedule, 'startsAt' | 'endsAt'>, now: Millis): boolean {
  return now >= schedule.startsAt && now < schedule.endsAt;
}

export function statusAt(
  schedule: Pick<PriceSchedule, 'startsAt' | 'endsAt'>,
  now: Millis,
  stock: number,
): AuctionStatus {
  if (now < schedule.startsAt) return 'scheduled';
  if (now >= schedule.endsAt) return 'ended';
  return stock > 0 ? 'running' : 'sold_out';
}

/**
 * The next instant at which the status can change by time alone (start or end), or null.
 * Sold-out changes come from settlement, not from the clock.
 */
export function nextStatusChangeAt(schedule: Pick<PriceSchedule, 'startsAt' | 'endsAt'>, now: Millis): Millis | null {
  if (now < schedule.startsAt) return schedule.startsAt;
  if (now < schedule.endsAt) return schedule.endsAt;
  return null;
}

/**
 * A seller may edit or withdraw an auction only while it is scheduled: from the start on,
 * buyers may have accepted its terms.
 */
export function checkChangeable(schedule: Pick<PriceSchedule, 'startsAt'>, now: Millis): Result<true, DomainError> {
  if (now < schedule.startsAt) return ok(true);
  return err(refuse('AUCTION_ALREADY_STARTED', 'An auction can only be changed before it starts.'));
}
