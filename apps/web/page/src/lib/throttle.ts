export interface Throttle {
  /** Asks for a run: now if the last one started at least `intervalMs` ago, else once when it may. */
  trigger(): void;
  /** No more runs, including one already waiting. */
  cancel(): void;
}

export interface ThrottleTimers {
  readonly now: () => number;
  readonly setTimeout: (run: () => void, ms: number) => unknown;
  readonly clearTimeout: (timer: unknown) => void;
}

const REAL_TIMERS: ThrottleTimers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/**
 * Runs `task` at most once per `intervalMs`, and never twice at once. Triggers during the wait or
 * during a run collapse into one run after it, so a burst of events (a busy auction settles
 * hundreds of bids a second) costs one request per interval, and the last event is never lost.
 */
export function createThrottle(
  task: () => Promise<void> | void,
  intervalMs: number,
  timers: ThrottleTimers = REAL_TIMERS,
): Throttle {
  let pending = false;
  let running = false;
  let cancelled = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  let timer: unknown = null;

  const start = () => {
    if (!pending || cancelled) return;
    pending = false;
    running = true;
    lastStart = timers.now();
    Promise.resolve()
      .then(task)
      .catch(() => {
        // The task reports its own failures; the next trigger tries again.
      })
      .finally(() => {
        running = false;
        schedule();
      });
  };

  const schedule = () => {
    if (!pending || running || timer !== null || cancelled) return;
    const wait = lastStart + intervalMs - timers.now();
    if (wait <= 0) return start();
    timer = timers.setTimeout(() => {
      timer = null;
      start();
    }, wait);
  };

  return {
    trigger() {
      pending = true;
      schedule();
    },
    cancel() {
      cancelled = true;
      pending = false;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
  };
}
