import { expect } from 'vitest';
import { bucketsOf, type LedgerMove } from './ledger.ts';

/** Every member's two balances, as the database keeps them; tests replay moves on it row by row. */
export interface Book {
  readonly points: Map<string, number>;
  readonly held: Map<string, number>;
  /** Σ charges so far: what points + held must always add up to. */
  charged: number;
}

export function bookOf(
  points: Iterable<readonly [string, number]>,
  held: Iterable<readonly [string, number]> = [],
): Book {
  const book: Book = { points: new Map(points), held: new Map(held), charged: 0 };
  book.charged = totalOf(book);
  return book;
}

export function totalOf(book: Book): number {
  let total = 0;
  for (const v of book.points.values()) total += v;
  for (const v of book.held.values()) total += v;
  return total;
}

/**
 * Applies moves one row at a time, the way the ledger writes them, and fails the test the moment
 * any balance would go below zero (the database's checks would refuse that row).
 */
export function applyMoves(book: Book, moves: readonly LedgerMove[]): void {
  for (const move of moves) {
    expect(move.amount).toBeGreaterThan(0);
    const { from, to } = bucketsOf(move.kind);
    if (from === 'outside') book.charged += move.amount;
    else {
      expect(move.from).not.toBeNull();
      const source = from === 'held' ? book.held : book.points;
      const left = (source.get(move.from as string) ?? 0) - move.amount;
      expect(left, `${move.kind} of ${move.amount} from ${move.from}'s ${from}`).toBeGreaterThanOrEqual(0);
      source.set(move.from as string, left);
    }
    const target = to === 'held' ? book.held : book.points;
    target.set(move.to, (target.get(move.to) ?? 0) + move.amount);
  }
  expect(totalOf(book)).toBe(book.charged);
}

/** The ledger's unique (receipt_id, kind): no receipt is ever held, released or paid twice. */
export function expectOneRowPerReceiptAndKind(moves: readonly LedgerMove[]): void {
  const seen = new Set<string>();
  for (const move of moves) {
    if (move.kind === 'charge') continue;
    expect(move.receiptId).not.toBeNull();
    const key = `${move.receiptId} ${move.kind}`;
    expect(seen.has(key), `two ${move.kind} rows for ${move.receiptId}`).toBe(false);
    seen.add(key);
  }
}
