import type { HistoryEntry } from '../lib/bid-history.ts';
import { formatClock, formatPoints } from '../lib/format.ts';
import { h, setText, syncChildren } from './dom.ts';

export interface BidHistoryList {
  readonly element: HTMLElement;
  show(entries: readonly HistoryEntry[]): void;
}

/**
 * The auction's leading bids, highest first. It shows whatever entries it is given: today the
 * bids this page saw plus the viewer's own (said so in the caption), later the public board.
 */
export function createBidHistoryList(caption: string): BidHistoryList {
  const list = h('ol', { class: 'bid-history', 'data-testid': 'bid-history' });
  const empty = h('p', { class: 'hint' }, 'No leading bid yet.');
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'history-heading' },
    h('h2', { id: 'history-heading' }, 'Bid history'),
    h('p', { class: 'hint' }, caption),
    empty,
    list,
  );
  const rows = new Map<number, HTMLLIElement>();

  return {
    element,
    show(entries) {
      empty.hidden = entries.length > 0;
      const items = entries.map((entry) => {
        let row = rows.get(entry.amount);
        if (row === undefined) {
          row = h('li', { 'data-testid': 'history-entry', 'data-amount': String(entry.amount) });
          rows.set(entry.amount, row);
        }
        row.dataset.mine = String(entry.mine);
        row.className = entry.mine ? 'mine' : '';
        const when = entry.at === null ? 'before you opened this page' : formatClock(entry.at);
        setText(row, `${formatPoints(entry.amount)} points · ${when}${entry.mine ? ' · you' : ''}`);
        return row;
      });
      syncChildren(list, items);
    },
  };
}
