export interface Backoff {
  /** The first delay. */
  readonly baseMs: number;
  /** No delay is longer. */
  readonly maxMs: number;
}

/** The one backoff: doubling from baseMs at attempt 0, capped at maxMs. */
export function calculateDelay(attempt: number, backoff: Backoff): number {
  return Math.min(backoff.baseMs * 2 ** Math.max(0, attempt), backoff.maxMs);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, waiting calculateDelay between tries: for a process whose
 * Redis or Postgres may still be starting (compose, CI), so it waits instead of crash-looping.
 * Gives up (returns false) once `stopped()` is true.
 */
export async function keepTrying(
  attempt: () => Promise<void>,
  options: Backoff & {
    readonly stopped?: () => boolean;
    readonly onRetry?: (error: unknown, delayMs: number) => void;
  },
): Promise<boolean> {
  for (let tries = 0; ; tries++) {
    try {
      await attempt();
      return true;
    } catch (error) {
      if (options.stopped?.() === true) return false;
      const delay = calculateDelay(tries, options);
      options.onRetry?.(error, delay);
      await sleep(delay);
      if (options.stopped?.() === true) return false;
    }
  }
}
