import { addDelta } from './point-deltas.ts';

/**
 * Every kind of points move; the ledger table's check constraint is built from this list.
 * Each member has two balances, `points` (free) and `held`; every row moves its amount from one
 * bucket to another, so the sum over members of points + held always equals the charges.
 */
export const LEDGER_KINDS = Object.freeze(['charge', 'purchase', 'refund', 'hold', 'release', 'rebate'] as const);

export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** One ledger row. `from` is null only for a charge (points come from outside); hold/release have from === to. */
export interface LedgerMove {
  readonly kind: LedgerKind;
  readonly from: string | null;
  readonly to: string;
  readonly amount: number;
  /** The receipt the move belongs to; null only for a charge. At most one move per (receipt, kind). */
  readonly receiptId: string | null;
}

export type LedgerBucket = 'outside' | 'points' | 'held';

export interface LedgerBuckets {
  readonly from: LedgerBucket;
  readonly to: 'points' | 'held';
}

/** Which balance a kind takes from and which it adds to: the one table the ledger audit and writers share. */
export function bucketsOf(kind: LedgerKind): LedgerBuckets {
  switch (kind) {
    case 'charge':
      return { from: 'outside', to: 'points' };
    case 'purchase':
    case 'refund':
    case 'rebate':
      return { from: 'points', to: 'points' };
    case 'hold':
      return { from: 'points', to: 'held' };
    case 'release':
      return { from: 'held', to: 'points' };
  }
}

export interface BalanceDeltas {
  readonly points: Map<string, number>;
  readonly held: Map<string, number>;
}

/** Net change per member of points and of held, from moves (both maps drop zeros). */
export function balanceDeltasOf(moves: readonly LedgerMove[]): BalanceDeltas {
  const points = new Map<string, number>();
  const held = new Map<string, number>();
  const bucket = (b: LedgerBucket) => (b === 'held' ? held : points);
  for (const move of moves) {
    const { from, to } = bucketsOf(move.kind);
    if (from !== 'outside' && move.from !== null) addDelta(bucket(from), move.from, -move.amount);
    addDelta(bucket(to), move.to, move.amount);
  }
  return { points, held };
}
