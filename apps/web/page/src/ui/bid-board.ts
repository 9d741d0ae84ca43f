import type { AuctionFormat } from '@dutch/domain';
import { fetchBoard } from '../api/endpoints.ts';
import {
  BOARD_PAGE_SIZE,
  BOARD_PAGES_PER_REFRESH,
  type BoardState,
  EMPTY_BOARD,
  followsLive,
  withBoardPage,
} from '../lib/bid-board.ts';
import { type HistoryEntry, historyOfBoard } from '../lib/bid-history.ts';
import { formatClockMs } from '../lib/format.ts';
import { describeError, describeReceiptStatus } from '../lib/plain-words.ts';
import { createThrottle } from '../lib/throttle.ts';
import type { AppContext } from './app-context.ts';
import { h, setText, syncChildren } from './dom.ts';

export interface BidBoard {
  readonly element: HTMLElement;
  /** Something settled (a feed event, the viewer's own receipt): read the end of the board again, throttled. */
  refresh(): void;
}

/** A busy auction settles hundreds of bids a second; each viewer reads the board at most this often. */
const REFRESH_EVERY_MS = 1_000;
/**
 * Failed bids and hidden-stock purchases announce nothing on the feed, so while the auction is
 * open the board is also read this often (only while the tab is visible).
 */
const POLL_EVERY_MS = 10_000;

const WORDS: Record<AuctionFormat, { heading: string; caption: string; amount: string }> = {
  dutch: {
    heading: 'First come, first served',
    caption: 'Every settled bid in the order it arrived. Names are masked; yours are marked.',
    amount: 'Bought',
  },
  english: {
    heading: 'Bid history',
    caption: 'Every settled bid in the order it arrived, with what became of it. Names are masked; yours are marked.',
    amount: 'Bid',
  },
};

function createBoardElements(format: AuctionFormat) {
  const words = WORDS[format];
  const body = h('tbody', { 'data-testid': 'bid-board' });
  const table = h(
    'table',
    { class: 'board' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['#', 'Bidder', words.amount, 'Accepted at', 'Status'].map((label) => h('th', { scope: 'col' }, label)),
      ),
    ),
    body,
  );
  const empty = h('p', { class: 'hint', 'data-testid': 'board-empty' }, 'No settled bids yet.');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show later bids');
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'board-heading' },
    h('h2', { id: 'board-heading' }, words.heading),
    h('p', { class: 'hint' }, words.caption),
    empty,
    h('div', { class: 'board-scroll' }, table),
    more,
    problem,
  );
  return { element, body, table, empty, more, problem };
}

/** One row, reused across refreshes by position (a status changes in place). */
function paintRow(row: HTMLTableRowElement, entry: HistoryEntry): void {
  row.dataset.position = String(entry.position);
  row.dataset.mine = String(entry.mine);
  row.dataset.status = entry.status;
  row.dataset.amount = entry.amount === null ? '' : String(entry.amount);
  row.className = entry.mine ? 'mine' : '';
  const cells = [
    `#${entry.position}`,
    entry.mine ? `${entry.bidder} (you)` : entry.bidder,
    entry.words,
    formatClockMs(entry.at),
    describeReceiptStatus(entry.status),
  ];
  while (row.cells.length < cells.length) row.append(h('td'));
  cells.forEach((text, i) => {
    const cell = row.cells[i];
    if (cell !== undefined) setText(cell, text);
  });
}

/**
 * Reads the board's pages for the viewer (with their token, so their rows say `mine`), from the
 * start again when the viewer signs in or out; `onRead` gets each outcome.
 */
function createBoardReader(
  ctx: AppContext,
  auctionId: string,
  onRead: (state: BoardState, problem: string) => void,
  signal: AbortSignal,
) {
  let state: BoardState = EMPTY_BOARD;
  let token = ctx.session.get().token;

  const readTail = async (pages: number) => {
    const asked = token;
    let problem = '';
    try {
      for (let page = 0; page < pages; page++) {
        const cursor = state.tailCursor;
        const read = await fetchBoard(auctionId, { cursor, limit: BOARD_PAGE_SIZE, token: asked, signal });
        if (asked !== token) return; // signed in or out meanwhile: `mine` belongs to someone else
        state = withBoardPage(state, cursor, read);
        if (!state.hasMore) break;
      }
    } catch (error) {
      if (signal.aborted) return;
      problem = describeError(error);
    }
    onRead(state, problem);
  };

  ctx.session.subscribe((session) => {
    if (session.token === token) return;
    token = session.token;
    state = EMPTY_BOARD;
    void readTail(1);
  }, signal);
  return { readTail, isFollowing: () => followsLive(state) };
}

/**
 * An auction's public board (GET /auctions/:id/bids), both formats: every settled bid in
 * settlement order, masked, the viewer's rows marked. New rows appear as they settle while the
 * viewer sees the end of the board; a long board pages on with "Show later bids".
 */
export function createBidBoard(
  ctx: AppContext,
  auctionId: string,
  format: AuctionFormat,
  isOpen: () => boolean,
  signal: AbortSignal,
): BidBoard {
  const { element, body, table, empty, more, problem } = createBoardElements(format);
  const rows = new Map<number, HTMLTableRowElement>();
  const render = (state: BoardState, trouble: string) => {
    const shown = historyOfBoard(state.rows, format).map((entry) => {
      let row = rows.get(entry.position);
      if (row === undefined) {
        row = h('tr', { 'data-testid': 'board-row' });
        rows.set(entry.position, row);
      }
      paintRow(row, entry);
      return row;
    });
    syncChildren(body, shown);
    empty.hidden = !state.loaded || shown.length > 0;
    table.hidden = shown.length === 0;
    more.hidden = !state.hasMore;
    setText(problem, trouble);
  };
  const reader = createBoardReader(ctx, auctionId, render, signal);

  const throttle = createThrottle(
    () => (reader.isFollowing() ? reader.readTail(BOARD_PAGES_PER_REFRESH) : undefined),
    REFRESH_EVERY_MS,
  );
  const poll = setInterval(() => {
    if (isOpen() && document.visibilityState === 'visible') throttle.trigger();
  }, POLL_EVERY_MS);
  signal.addEventListener(
    'abort',
    () => {
      throttle.cancel();
      clearInterval(poll);
    },
    { once: true },
  );
  more.addEventListener('click', async () => {
    more.disabled = true;
    await reader.readTail(1);
    more.disabled = false;
  });
  void reader.readTail(1);
  return { element, refresh: () => throttle.trigger() };
}
