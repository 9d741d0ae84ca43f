import { describe, expect, it } from 'vitest';
import { pollUntil } from './poll-until.ts';

/** A fake clock that only moves when the poll sleeps, so the schedule is exact. */
function harness(values: readonly (number | Error)[]) {
  let t = 0;
  const delays: number[] = [];
  const seen: number[] = [];
  let i = 0;
  return {
    delays,
    seen,
    options: {
      load: async () => {
        const v = values[Math.min(i++, values.length - 1)];
        if (v instanceof Error) throw v;
        return v as number;
      },
      onValue: (v: number) => seen.push(v),
      now: () => t,
      sleep: async (ms: number) => {
        delays.push(ms);
        t += ms;
      },
    },
  };
}

describe('pollUntil', () => {
  it('polls with a growing delay until done', async () => {
    const h = harness([0, 0, 0, 0, 1]);
    const result = await pollUntil({
      ...h.options,
      isDone: (v) => v === 1,
      signal: new AbortController().signal,
    });
    expect(result).toBe(1);
    expect(h.seen).toEqual([0, 0, 0, 0, 1]);
    expect(h.delays).toEqual([300, 450, 675, 1012.5]);
  });

  it('caps the delay and gives up at the timeout with the last value', async () => {
    const h = harness([0]);
    const result = await pollUntil({
      ...h.options,
      isDone: () => false,
      signal: new AbortController().signal,
      maxDelayMs: 500,
      timeoutMs: 2_000,
    });
    expect(result).toBe(0);
    expect(h.delays).toEqual([300, 450, 500, 500]);
  });

  it('retries transient errors and stops on fatal ones', async () => {
    const transient = harness([new Error('network'), 1]);
    await expect(
      pollUntil({ ...transient.options, isDone: (v) => v === 1, signal: new AbortController().signal }),
    ).resolves.toBe(1);

    const fatal = harness([new Error('revoked')]);
    await expect(
      pollUntil({
        ...fatal.options,
        isDone: () => false,
        isFatal: () => true,
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow('revoked');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const h = harness([0]);
    const result = await pollUntil({
      ...h.options,
      isDone: () => false,
      signal: controller.signal,
      sleep: async () => controller.abort(),
    });
    expect(result).toBe(0);
    expect(h.seen).toEqual([0]);
  });
});
