import { describe, expect, it } from 'vitest';
import { calculateDelay, handleShutdown, isRetryableError, keepTrying } from './index.ts';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('isRetryableError', () => {
  it('retries outages of Postgres, Redis and the network, and nothing else', () => {
    for (const code of ['ECONNREFUSED', 'CONNECTION_CLOSED', '40P01', '57P01', '08006', '57014'])
      expect(isRetryableError(withCode(code)), code).toBe(true);
    for (const message of ['Connection is closed.', 'LOADING Redis is loading', 'CLUSTERDOWN The cluster is down'])
      expect(isRetryableError(new Error(message)), message).toBe(true);
    for (const code of ['23514', '23505', '22P02', '42P01']) expect(isRetryableError(withCode(code)), code).toBe(false);
    expect(isRetryableError(new Error('check constraint violated'))).toBe(false);
    expect(isRetryableError('ECONNREFUSED')).toBe(false);
  });
});

describe('calculateDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    const backoff = { baseMs: 100, maxMs: 1_000 };
    expect([0, 1, 2, 3, 4, 10].map((n) => calculateDelay(n, backoff))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });
});

describe('keepTrying', () => {
  it('tries until the work succeeds, and gives up once stopped', async () => {
    let calls = 0;
    const delays: number[] = [];
    const ok = await keepTrying(
      async () => {
        calls++;
        if (calls < 3) throw withCode('ECONNREFUSED');
      },
      { baseMs: 1, maxMs: 2, onRetry: (_, delay) => delays.push(delay) },
    );
    expect([ok, calls, delays]).toEqual([true, 3, [1, 2]]);

    let stopped = false;
    const gaveUp = await keepTrying(
      async () => {
        stopped = true;
        throw new Error('down');
      },
      { baseMs: 1, maxMs: 1, stopped: () => stopped },
    );
    expect(gaveUp).toBe(false);
  });
});

describe('handleShutdown', () => {
  it('stops once and exits 0; exits 1 when stopping outlasts the grace period', async () => {
    const exits: number[] = [];
    let stops = 0;
    const clean = handleShutdown({ stop: async () => void stops++, graceMs: 1_000, exit: (code) => exits.push(code) });
    await Promise.all([clean.begin('SIGTERM'), clean.begin('SIGINT')]);
    expect([stops, exits, clean.stopping()]).toEqual([1, [0], true]);

    const hung = handleShutdown({
      stop: () => new Promise(() => {}),
      graceMs: 10,
      exit: (code) => exits.push(code),
    });
    void hung.begin('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exits).toEqual([0, 1]);
  });
});
