import type { Millis } from '@dutch/domain';

/**
 * How long to wait before the next repaint of a once-a-second countdown: until the countdown's
 * whole-second reading changes, so ticks land on the instant of a drop rather than up to a
 * second after it.
 */
export function delayToNextTick(now: Millis, target: Millis | null): number {
  if (target === null || target <= now) return 1000;
  const rest = (target - now) % 1000;
  return rest === 0 ? 1000 : rest;
}
