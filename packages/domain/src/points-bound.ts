import type { Result } from './errors.ts';
import { bucketsOf, type LedgerMove } from './ledger.ts';

/**
 * Whether a bid may go on to the queue, judged from an UPPER BOUND of the buyer's points (the
 * gateway's view: points only fall by settlement, and every credit raises the bound). Refused
 * only when even the bound cannot pay, so a stale bound can let a bid through (settlement then
 * fails it) but never refuses one that could be paid. An unknown bound refuses nothing.
 */
export function checkPointsBound(bound: number | undefined, unitPrice: number, quantity: number): Result<void> {
  if (bound === undefined || bound >= unitPrice * quantity) return { ok: true, value: undefined };
  return {
    ok: false,
    error: {
      code: 'INSUFFICIENT_POINTS',
      message: `This bid costs ${unitPrice * quantity} points and you have fewer. Charge points (POST /members/me/points) and bid again.`,
    },
  };
}

/**
 * Points each member GAINS in their free balance by ledger moves: every move into the points
 * bucket (a sale, refund, rebate, or a hold released). What a gateway adds to its points bounds
 * for settlements described by moves; debits (and holds) are ignored, which keeps a bound an upper bound.
 */
export function creditsOfMoves(moves: readonly LedgerMove[]): Map<string, number> {
  const credits = new Map<string, number>();
  for (const move of moves) {
    if (bucketsOf(move.kind).to !== 'points' || move.amount <= 0) continue;
    credits.set(move.to, (credits.get(move.to) ?? 0) + move.amount);
  }
  return credits;
}
