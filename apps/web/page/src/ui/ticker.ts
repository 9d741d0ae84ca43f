import type { Millis } from '@dutch/domain';
import type { ServerClock } from '../lib/server-clock.ts';
import { delayToNextTick } from '../lib/tick-delay.ts';

/**
 * Repaints once a second, aligned to `nextTarget` (the next drop or start) so the price changes
 * on the instant of the drop, until `signal` aborts.
 */
export function startTicker(
  clock: ServerClock,
  nextTarget: () => Millis | null,
  onTick: () => void,
  signal: AbortSignal,
): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    if (signal.aborted) return;
    onTick();
    timer = setTimeout(tick, delayToNextTick(clock.now(), nextTarget()));
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  tick();
}
