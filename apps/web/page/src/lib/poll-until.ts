import { sleepFor } from './sleep-for.ts';

export interface PollOptions<T> {
  readonly load: (signal: AbortSignal) => Promise<T>;
  readonly isDone: (value: T) => boolean;
  readonly onValue: (value: T) => void;
  readonly signal: AbortSignal;
  /** A refusal that polling cannot fix (e.g. the token was revoked); the poll stops and throws it. */
  readonly isFatal?: (error: unknown) => boolean;
  readonly firstDelayMs?: number;
  readonly factor?: number;
  readonly maxDelayMs?: number;
  /** Give up after this long; the caller shows the last value seen. */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

/**
 * Loads until `isDone`, waiting a little longer each time: quick while a settlement is
 * likely a moment away, easy on the server when the queue is slow. Transient failures
 * (network, 5xx) are retried on the same schedule. Resolves with the last value, or null
 * when aborted or timed out before any value arrived.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<T | null> {
  const { signal, firstDelayMs = 300, factor = 1.5, maxDelayMs = 3_000, timeoutMs = 120_000 } = options;
  const sleep = options.sleep ?? sleepFor;
  const now = options.now ?? Date.now;
  const deadline = now() + timeoutMs;
  let delay = firstDelayMs;
  let last: T | null = null;

  while (!signal.aborted) {
    try {
      last = await options.load(signal);
      options.onValue(last);
      if (options.isDone(last)) return last;
    } catch (error) {
      if (signal.aborted) break;
      if (options.isFatal?.(error)) throw error;
    }
    if (now() + delay > deadline) break;
    await sleep(delay, signal);
    delay = Math.min(delay * factor, maxDelayMs);
  }
  return last;
}
