import type { AuctionMoment, AuctionStatus, Millis, PriceSchedule } from '@dutch/domain';
import { formatCountdown, formatPoints } from './format.ts';

const STATUS_WORDS: Record<AuctionStatus, string> = {
  scheduled: 'Starts soon',
  running: 'Live',
  sold_out: 'Sold out',
  ended: 'Ended',
};

export function describeAuctionStatus(status: AuctionStatus): string {
  return STATUS_WORDS[status];
}

/** What happens next and when: the line under the price, repainted every second. */
export function describeNextChange(schedule: PriceSchedule, moment: AuctionMoment, now: Millis): string {
  switch (moment.status) {
    case 'scheduled':
      return `Starts in ${formatCountdown(schedule.startsAt - now)} at ${formatPoints(moment.currentPrice)} points`;
    case 'ended':
      return `Ended at ${formatPoints(moment.currentPrice)} points`;
    case 'sold_out':
      return `Sold out: ends in ${formatCountdown(schedule.endsAt - now)}`;
    case 'running':
      if (moment.nextDropAt === null || moment.nextPrice === null) {
        return `Final price: ends in ${formatCountdown(schedule.endsAt - now)}`;
      }
      return `Drops to ${formatPoints(moment.nextPrice)} in ${formatCountdown(moment.nextDropAt - now)}`;
  }
}

/** The instant the countdown counts to, for aligning the ticks. */
export function nextChangeAt(schedule: PriceSchedule, moment: AuctionMoment): Millis | null {
  if (moment.status === 'scheduled') return schedule.startsAt;
  if (moment.status === 'ended') return null;
  return moment.nextDropAt ?? schedule.endsAt;
}

export function describeStock(stock: number, initialStock: number | undefined): string {
  if (stock === 0) return 'None left';
  return initialStock === undefined
    ? `${formatPoints(stock)} left`
    : `${formatPoints(stock)} of ${formatPoints(initialStock)} left`;
}
