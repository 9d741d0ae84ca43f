import { describe, expect, it } from 'vitest';
import { balanceDeltasOf, type LedgerMove } from './ledger.ts';
import { checkPointsBound, creditsOfMoves } from './points-bound.ts';

describe('checkPointsBound', () => {
  it('refuses only when even the upper bound cannot pay the bid', () => {
    expect(checkPointsBound(299, 100, 3)).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_POINTS' } });
    expect(checkPointsBound(0, 1, 1).ok).toBe(false);
    expect(checkPointsBound(300, 100, 3).ok).toBe(true);
    expect(checkPointsBound(1_000_000, 100, 3).ok).toBe(true);
  });

  it('lets every bid through when the bound is unknown', () => {
    expect(checkPointsBound(undefined, 1_000_000, 100).ok).toBe(true);
  });

  it('never refuses a bid the true balance can pay, for any bound at or above it', () => {
    for (let points = 0; points <= 50; points++)
      for (let slack = 0; slack <= 5; slack++)
        for (const [price, quantity] of [
          [1, 1],
          [7, 3],
          [10, 5],
        ] as const) {
          if (points >= price * quantity) expect(checkPointsBound(points + slack, price, quantity).ok).toBe(true);
        }
  });
});

describe('creditsOfMoves', () => {
  it('counts every move into a free balance, and nothing else', () => {
    const moves: LedgerMove[] = [
      { kind: 'hold', from: 'a', to: 'a', amount: 100, receiptId: 'r1' },
      { kind: 'release', from: 'a', to: 'a', amount: 100, receiptId: 'r1' },
      { kind: 'purchase', from: 'w', to: 's', amount: 300, receiptId: 'r2' },
      { kind: 'hold', from: 's', to: 's', amount: 300, receiptId: 'r2' },
      { kind: 'rebate', from: 's', to: 'b', amount: 20, receiptId: 'r3' },
      { kind: 'refund', from: 's', to: 'c', amount: 50, receiptId: 'r4' },
    ];
    expect(Object.fromEntries(creditsOfMoves(moves))).toEqual({ a: 100, s: 300, b: 20, c: 50 });
    // Each credit is at least the member's net gain in free points, so a bound raised by it stays an upper bound.
    for (const [member, gain] of balanceDeltasOf(moves).points) {
      expect(creditsOfMoves(moves).get(member) ?? 0).toBeGreaterThanOrEqual(gain);
    }
  });
});
