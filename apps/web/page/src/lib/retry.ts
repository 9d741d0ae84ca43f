/**
 * Runs `run` again after each delay while it fails with a transient error. Only for requests
 * that are safe to repeat: a bid carries its Idempotency-Key, so a retry after a lost response
 * gets the original receipt back instead of placing a second bid.
 */
export async function retryTransient<T>(
  run: () => Promise<T>,
  isTransient: (error: unknown) => boolean,
  delaysMs: readonly number[] = [300, 1_000],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (const delay of delaysMs) {
    try {
      return await run();
    } catch (error) {
      if (!isTransient(error)) throw error;
      await sleep(delay);
    }
  }
  return run();
}
