import { describe, expect, it } from 'vitest';
import { retryTransient } from './retry.ts';

const noSleep = async () => {};

describe('retryTransient', () => {
  it('repeats while the failure is transient, then succeeds', async () => {
    let calls = 0;
    const result = await retryTransient(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('lost');
        return 'receipt';
      },
      () => true,
      [1, 1],
      noSleep,
    );
    expect(result).toBe('receipt');
    expect(calls).toBe(3);
  });

  it('gives up after the last delay with the last error', async () => {
    let calls = 0;
    const failing = retryTransient(
      async () => {
        calls += 1;
        throw new Error(`lost ${calls}`);
      },
      () => true,
      [1, 1],
      noSleep,
    );
    await expect(failing).rejects.toThrow('lost 3');
  });

  it('does not repeat a refusal', async () => {
    let calls = 0;
    const refused = retryTransient(
      async () => {
        calls += 1;
        throw new Error('PRICE_ABOVE_MAX');
      },
      () => false,
      [1, 1],
      noSleep,
    );
    await expect(refused).rejects.toThrow('PRICE_ABOVE_MAX');
    expect(calls).toBe(1);
  });
});
