import type { BidAccepted, Receipt } from '@dutch/contract';
import { formatClock, formatPoints } from '../lib/format.ts';
import { describeError } from '../lib/plain-words.ts';
import { isBidSettled } from '../lib/receipt-progress.ts';
import { trackReceipt } from '../state/track-receipt.ts';
import type { AppContext } from './app-context.ts';
import { h, setText } from './dom.ts';
import { createReceiptStatus } from './receipt-status.ts';

/**
 * The receipt of a bid just placed, following it from PENDING to PURCHASED or FAILED.
 * `onSettled` lets the page reload what the settlement changed (points, purchases).
 */
export function createReceiptCard(
  ctx: AppContext,
  accepted: BidAccepted,
  quantity: number,
  onSettled: (receipt: Receipt) => void,
  signal: AbortSignal,
): HTMLElement {
  const status = createReceiptStatus('receipt-status');
  const total = h('dd', { 'data-testid': 'receipt-total' });
  const trouble = h('p', { class: 'form-error', role: 'alert' });
  const element = h(
    'section',
    { class: 'card receipt-card', 'aria-labelledby': 'receipt-heading', 'data-testid': 'receipt' },
    h('h2', { id: 'receipt-heading' }, 'Your bid'),
    status.element,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Quantity'),
      h('dd', {}, String(quantity)),
      h('dt', {}, 'Price per unit'),
      h('dd', {}, `${formatPoints(accepted.unitPrice)} points`),
      h('dt', {}, 'Total'),
      total,
      h('dt', {}, 'Accepted at'),
      h('dd', {}, formatClock(Date.parse(accepted.acceptedAt))),
      h('dt', {}, 'Receipt'),
      h('dd', { class: 'receipt-id' }, accepted.receiptId),
    ),
    trouble,
  );

  const show = (receipt: Pick<Receipt, 'status' | 'failureReason' | 'total'>) => {
    status.show(receipt.status, receipt.failureReason);
    setText(total, `${formatPoints(receipt.total)} points`);
  };
  show({ status: accepted.status, total: accepted.unitPrice * quantity });

  const { token } = ctx.session.get();
  if (token !== null) {
    trackReceipt(token, accepted.receiptId, isBidSettled, show, signal)
      .then((last) => {
        if (last !== null && isBidSettled(last)) onSettled(last);
        else if (!signal.aborted)
          setText(trouble, 'Still waiting for the engine; your purchases list will show the outcome.');
      })
      .catch((error: unknown) => setText(trouble, describeError(error)));
  }
  return element;
}
