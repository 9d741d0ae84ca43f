import { describe, expect, it } from 'vitest';
import type { BoardRow } from '../api/types.ts';
import { EMPTY_BOARD, followsLive, minePositions, withBoardPage } from './bid-board.ts';

function row(position: number, overrides: Partial<BoardRow> = {}): BoardRow {
  return {
    position,
    bidder: 'B***a',
    acceptedAt: new Date(Date.UTC(2030, 0, 1, 12, 0, 0, position)).toISOString(),
    status: 'PURCHASED',
    quantity: 1,
    unitPrice: 90,
    mine: false,
    ...overrides,
  };
}

const positions = (rows: readonly BoardRow[]) => rows.map((r) => r.position);

describe('the board as the page reads it', () => {
  it('follows the tail with the cursor that read the last page, and adds what settled since', () => {
    let board = withBoardPage(EMPTY_BOARD, null, { items: [row(1), row(2)], nextCursor: null });
    expect(board).toMatchObject({ tailCursor: null, hasMore: false, loaded: true });
    expect(followsLive(board)).toBe(true);
    // Read again from the same cursor: the same rows, one refunded since, and a new one.
    board = withBoardPage(board, board.tailCursor, {
      items: [row(1), row(2, { status: 'REFUNDED' }), row(3, { mine: true })],
      nextCursor: null,
    });
    expect(positions(board.rows)).toEqual([1, 2, 3]);
    expect(board.rows[1]?.status).toBe('REFUNDED');
    expect(minePositions(board)).toEqual([3]);
  });

  it('pages on from a full page, and stops following live while more rows wait', () => {
    let board = withBoardPage(EMPTY_BOARD, null, { items: [row(1), row(2)], nextCursor: 'after-2' });
    expect(board).toMatchObject({ tailCursor: 'after-2', hasMore: true });
    expect(followsLive(board)).toBe(false);
    board = withBoardPage(board, 'after-2', { items: [row(3)], nextCursor: null });
    expect(board).toMatchObject({ tailCursor: 'after-2', hasMore: false });
    expect(positions(board.rows)).toEqual([1, 2, 3]);
  });

  it('keeps rows in position order whatever order pages arrive in', () => {
    const board = withBoardPage(withBoardPage(EMPTY_BOARD, null, { items: [row(5), row(4)], nextCursor: null }), null, {
      items: [row(3)],
      nextCursor: null,
    });
    expect(positions(board.rows)).toEqual([3, 4, 5]);
  });

  it('does not follow live before the first page', () => {
    expect(followsLive(EMPTY_BOARD)).toBe(false);
  });
});
