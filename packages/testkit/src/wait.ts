import { calculateDelay, sleep } from '@dutch/runtime';

/** Polls quickly at first, then every 200 ms. */
const POLL = { baseMs: 10, maxMs: 200 };

/** Polls until `check` returns a value other than undefined/false, or fails after timeoutMs. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(calculateDelay(attempt, POLL));
  }
}

export { sleep };
