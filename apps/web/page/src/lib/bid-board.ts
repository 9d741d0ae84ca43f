import type { BoardRow } from '../api/types.ts';

/**
 * The part of an auction's public board the page has read. The board pages forward in settlement
 * order with opaque cursors, and a last page has no next cursor; so the page keeps the cursor that
 * read its last page: asking it again returns that page and whatever settled since.
 */
export interface BoardState {
  /** By position, each once. */
  readonly rows: readonly BoardRow[];
  /** The cursor that reads from the last page read (null: from the first row). */
  readonly tailCursor: string | null;
  /** The server said more rows follow the last page read: the viewer pages on ("Show more"). */
  readonly hasMore: boolean;
  readonly loaded: boolean;
}

export const EMPTY_BOARD: BoardState = Object.freeze({ rows: [], tailCursor: null, hasMore: false, loaded: false });

/** Rows per request: the contract's largest page, so most boards are one request. */
export const BOARD_PAGE_SIZE = 100;

/** Pages one live refresh reads at most before it leaves the rest to "Show more". */
export const BOARD_PAGES_PER_REFRESH = 3;

/**
 * A page read with `cursor` (the state's tailCursor). Rows already held are replaced by their new
 * reading (a receipt refunded, an English lead outbid); new ones are added in position order.
 */
export function withBoardPage(
  state: BoardState,
  cursor: string | null,
  page: { readonly items: readonly BoardRow[]; readonly nextCursor: string | null },
): BoardState {
  const byPosition = new Map<number, BoardRow>();
  for (const row of state.rows) byPosition.set(row.position, row);
  for (const row of page.items) byPosition.set(row.position, row);
  return {
    rows: [...byPosition.values()].sort((a, b) => a.position - b.position),
    tailCursor: page.nextCursor ?? cursor,
    hasMore: page.nextCursor !== null,
    loaded: true,
  };
}

/** Whether a settlement should be read now: only when the viewer sees the end of the board. */
export function followsLive(state: BoardState): boolean {
  return state.loaded && !state.hasMore;
}

/** The viewer's own rows, by position: the receipt card says where they stand. */
export function minePositions(state: BoardState): number[] {
  return state.rows.filter((row) => row.mine).map((row) => row.position);
}
