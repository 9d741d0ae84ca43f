import { finalPrice, type PriceSchedule, stepCount } from '@dutch/domain';
import { formatDuration, formatPoints } from './format.ts';

/** The schedule in one sentence: the chart's text alternative, and the form's preview caption. */
export function summarizeSchedule(schedule: PriceSchedule): string {
  const steps = stepCount(schedule);
  const start = formatPoints(schedule.startPrice);
  if (steps <= 1) return `One price, ${start} points, for the whole auction.`;
  const drop =
    schedule.priceDrop.kind === 'constant'
      ? `${formatPoints(schedule.priceDrop.amount)} points`
      : `${schedule.priceDrop.percent}%`;
  const floor = schedule.floorPrice === null ? '' : `, never below ${formatPoints(schedule.floorPrice)}`;
  const every = formatDuration(schedule.dropIntervalSeconds);
  return `Starts at ${start} points and drops ${drop} every ${every}${floor}: ${steps} prices, down to ${formatPoints(finalPrice(schedule))} points.`;
}
