/** Reads many rows by id in one statement; ids without a row are absent from the map. */
export type ReadMany<T> = (ids: readonly string[]) => Promise<ReadonlyMap<string, T>>;

interface Waiter<T> {
  readonly id: string;
  resolve(row: T | undefined): void;
  reject(error: unknown): void;
}

/**
 * One read for every row asked for in an event-loop turn (undefined: no such row). Each caller
 * asked after its request arrived and the read is sent after all of them asked, so it answers
 * each as a read of its own would (points-bounds.ts: a refusal is confirmed by a read issued
 * after the bid came in). A Dutch drop's refusals arrive together, and a burst's buyers' tokens
 * come due for their re-read together: one statement for them costs Postgres and the driver a
 * fraction of one each. A failed read fails every caller of its turn.
 *
 * With `windowMs`, the read waits that long for more callers: a turn is a handful of requests
 * under load, so per-turn batches of reads nobody waits on long (a background re-read) or that
 * are rare per turn (refusals) stay batches of one or two.
 */
export function batchReads<T>(readMany: ReadMany<T>, windowMs = 0): (id: string) => Promise<T | undefined> {
  let turn: Waiter<T>[] | null = null;

  const send = (waiters: readonly Waiter<T>[]) => {
    readMany([...new Set(waiters.map((w) => w.id))]).then(
      (rows) => {
        for (const waiter of waiters) waiter.resolve(rows.get(waiter.id));
      },
      (error: unknown) => {
        for (const waiter of waiters) waiter.reject(error);
      },
    );
  };

  return (id) =>
    new Promise((resolve, reject) => {
      if (turn === null) {
        const waiters: Waiter<T>[] = [];
        turn = waiters;
        const flush = () => {
          turn = null;
          send(waiters);
        };
        if (windowMs > 0) setTimeout(flush, windowMs);
        else setImmediate(flush);
      }
      turn.push({ id, resolve, reject });
    });
}
