import type { Receipt } from '@dutch/contract';
import type { Millis } from '@dutch/domain';
import { fetchPurchases } from '../api/endpoints.ts';
import { describeError } from '../lib/plain-words.ts';
import type { AppContext } from './app-context.ts';
import { h, setText, syncChildren } from './dom.ts';
import { createPurchaseRow, type PurchaseRow } from './purchase-row.ts';

export interface PurchasesList {
  readonly element: HTMLElement;
  refresh(): Promise<void>;
  tick(now: Millis): void;
}

function createListElements(heading: string) {
  const list = h('ol', { class: 'purchases', 'data-testid': 'purchases' });
  const message = h('p', { class: 'hint' });
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'purchases-heading' },
    h('h2', { id: 'purchases-heading' }, heading),
    message,
    list,
  );
  return { element, list, message };
}

function showSignedOut(rows: Map<string, PurchaseRow>, list: HTMLElement, message: HTMLElement): void {
  rows.clear();
  list.replaceChildren();
  message.replaceChildren(h('a', { href: '#/account' }, 'Sign in'), ' to see your purchases.');
}

/** The row of each receipt, reused when it is already shown, in the receipts' order. */
function updateRows(
  rows: Map<string, PurchaseRow>,
  receipts: readonly Receipt[],
  createRow: (receipt: Receipt) => PurchaseRow,
): HTMLElement[] {
  return receipts.map((receipt) => {
    let row = rows.get(receipt.id);
    if (row === undefined) {
      row = createRow(receipt);
      rows.set(receipt.id, row);
    } else row.update(receipt);
    return row.element;
  });
}

/**
 * The buyer's purchase history (GET /members/me/purchases), newest first, optionally only
 * one auction's. Rows are kept by receipt id across refreshes, so focus and a refund in
 * progress survive a reload of the list.
 */
export function createPurchasesList(
  ctx: AppContext,
  options: {
    heading: string;
    auctionId?: string;
    /** Every load's receipts (after the auction filter): the English page reads the viewer's outcome from them. */
    onLoaded?: (receipts: readonly Receipt[]) => void;
    /** What an empty list says. */
    empty?: string;
  },
  signal: AbortSignal,
): PurchasesList {
  const { element, list, message } = createListElements(options.heading);
  const rows = new Map<string, PurchaseRow>();

  const onSettled = () => {
    void ctx.session.refresh();
  };
  const createRow = (receipt: Receipt) =>
    createPurchaseRow(ctx, receipt, options.auctionId === undefined, onSettled, signal);

  const refresh = async () => {
    const { token } = ctx.session.get();
    if (token === null) {
      showSignedOut(rows, list, message);
      options.onLoaded?.([]);
      return;
    }
    try {
      const page = await fetchPurchases(token, signal);
      const items = page.items.filter((r) => options.auctionId === undefined || r.auctionId === options.auctionId);
      syncChildren(list, updateRows(rows, items, createRow));
      setText(message, items.length === 0 ? (options.empty ?? 'No purchases yet.') : '');
      options.onLoaded?.(items);
    } catch (error) {
      if (!signal.aborted) setText(message, describeError(error));
    }
  };

  // Points change often (every settlement); only a new token means a different history.
  let token = ctx.session.get().token;
  ctx.session.subscribe((session) => {
    if (session.token === token) return;
    token = session.token;
    void refresh();
  }, signal);
  return {
    element,
    refresh,
    tick(now) {
      for (const row of rows.values()) row.tick(now);
    },
  };
}
