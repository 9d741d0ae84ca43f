import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balanceDeltasOf, bucketsOf, LEDGER_KINDS, type LedgerKind, type LedgerMove } from './ledger.ts';

const move = (kind: LedgerKind, from: string | null, to: string, amount: number): LedgerMove => ({
  kind,
  from,
  to,
  amount,
  receiptId: kind === 'charge' ? null : 'r',
});

describe('bucketsOf', () => {
  it('says where each kind takes from and puts to', () => {
    expect(Object.fromEntries(LEDGER_KINDS.map((k) => [k, bucketsOf(k)]))).toEqual({
      charge: { from: 'outside', to: 'points' },
      purchase: { from: 'points', to: 'points' },
      refund: { from: 'points', to: 'points' },
      hold: { from: 'points', to: 'held' },
      release: { from: 'held', to: 'points' },
      rebate: { from: 'points', to: 'points' },
    });
  });

  it('keeps the list frozen (the database check is built from it)', () => {
    expect(Object.isFrozen(LEDGER_KINDS)).toBe(true);
  });
});

describe('balanceDeltasOf', () => {
  it('nets moves per member and bucket, dropping zeros', () => {
    const deltas = balanceDeltasOf([
      move('charge', null, 'b', 500),
      move('hold', 'b', 'b', 300),
      move('release', 'b', 'b', 300),
      move('hold', 'b', 'b', 200),
      move('purchase', 'b', 's', 50),
      move('hold', 's', 's', 50),
    ]);
    expect(deltas.points).toEqual(
      new Map([
        ['b', 500 - 200 - 50],
        // The seller's 50 came in and went straight to held: their free points net 0.
      ]),
    );
    expect(deltas.held).toEqual(
      new Map([
        ['b', 200],
        ['s', 50],
      ]),
    );
  });

  it('changes points + held over all members by exactly the charges', () => {
    const members = ['a', 'b', 'c'];
    const moveArb = fc.record({
      kind: fc.constantFrom(...LEDGER_KINDS),
      from: fc.constantFrom(...members),
      to: fc.constantFrom(...members),
      amount: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(moveArb, { minLength: 1, maxLength: 30 }), (raw) => {
        // hold and release stay with one member, as the ledger's check demands.
        const moves = raw.map((m) =>
          move(
            m.kind,
            m.kind === 'charge' ? null : m.from,
            m.kind === 'hold' || m.kind === 'release' ? m.from : m.to,
            m.amount,
          ),
        );
        const { points, held } = balanceDeltasOf(moves);
        const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
        const charges = moves.filter((m) => m.kind === 'charge').reduce((x, m) => x + m.amount, 0);
        expect(sum(points) + sum(held)).toBe(charges);
        for (const v of [...points.values(), ...held.values()]) expect(v).not.toBe(0);
        const holds = moves.filter((m) => m.kind === 'hold').reduce((x, m) => x + m.amount, 0);
        const releases = moves.filter((m) => m.kind === 'release').reduce((x, m) => x + m.amount, 0);
        expect(sum(held)).toBe(holds - releases);
      }),
    );
  });
});
