interface Waiter {
  readonly since: number;
  readonly reject: (error: Error) => void;
}

/**
 * Bounds how long requests wait without a timer each: the waiting are kept in arrival order and
 * one interval fails those past `ms` (so a request waits at most `ms` plus a tenth of it). The
 * bid fast path uses it instead of the per-request timeout middleware, whose timer and race cost
 * more than the rest of a cached bid's checks; a hung Redis or Postgres still gets a clear 503
 * in bounded time. For work that must not commit after its 503 (database writes), use the
 * middleware's Deadline: this only stops waiting, it cannot take back what the work then does.
 */
export class DeadlineSweep {
  private readonly waiting = new Set<Waiter>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ms: number,
    private readonly expired: () => Error,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.timer = setInterval(() => this.sweep(), Math.max(5, Math.floor(ms / 10)));
    this.timer.unref();
  }

  /** The work's outcome, or the `expired` error once it has waited `ms`. */
  bound<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = { since: this.now(), reject };
      this.waiting.add(waiter);
      work.then(
        (value) => {
          this.waiting.delete(waiter);
          resolve(value);
        },
        (error: unknown) => {
          this.waiting.delete(waiter);
          reject(error);
        },
      );
    });
  }

  /** Fails every waiter past its time; a Set iterates in insertion order, so the oldest come first. */
  sweep(): void {
    const cutoff = this.now() - this.ms;
    for (const waiter of this.waiting) {
      if (waiter.since > cutoff) return;
      this.waiting.delete(waiter);
      waiter.reject(this.expired());
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
