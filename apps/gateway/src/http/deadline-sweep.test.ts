import { afterEach, describe, expect, it } from 'vitest';
import { DeadlineSweep } from './deadline-sweep.ts';

let now = 0;
const sweeps: DeadlineSweep[] = [];
const sweepOf = (ms: number) => {
  const sweep = new DeadlineSweep(
    ms,
    () => new Error('too late'),
    () => now,
  );
  sweeps.push(sweep);
  return sweep;
};
afterEach(() => {
  for (const sweep of sweeps.splice(0)) sweep.close();
  now = 0;
});
const never = new Promise<never>(() => {});

describe('DeadlineSweep', () => {
  it('fails only the waiters past their time, oldest first, and leaves the rest waiting', async () => {
    const sweep = sweepOf(100);
    const outcomes: string[] = [];
    const track = (name: string, work: Promise<unknown>) =>
      sweep.bound(work).then(
        () => outcomes.push(`${name} done`),
        (error: Error) => outcomes.push(`${name} ${error.message}`),
      );
    const first = track('first', never);
    now = 60;
    const second = track('second', never);
    now = 100;
    sweep.sweep();
    await first;
    expect(outcomes).toEqual(['first too late']);
    now = 159;
    sweep.sweep();
    await Promise.resolve();
    expect(outcomes).toEqual(['first too late']);
    now = 160;
    sweep.sweep();
    await second;
    expect(outcomes).toEqual(['first too late', 'second too late']);
  });

  it('passes the work’s own outcome through, and forgets it once settled', async () => {
    const sweep = sweepOf(100);
    await expect(sweep.bound(Promise.resolve(7))).resolves.toBe(7);
    await expect(sweep.bound(Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    now = 1_000;
    sweep.sweep();
    await expect(sweep.bound(Promise.resolve('later'))).resolves.toBe('later');
  });

  it('sweeps by itself on a timer of its own', async () => {
    const sweep = new DeadlineSweep(20, () => new Error('too late'));
    sweeps.push(sweep);
    await expect(sweep.bound(never)).rejects.toThrow('too late');
  });
});
