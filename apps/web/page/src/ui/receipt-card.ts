import type { DutchBidAccepted, EnglishBidAccepted, Receipt } from '@dutch/contract';
import { describePosition } from '../lib/bid-history.ts';
import { formatClockMs, formatPoints } from '../lib/format.ts';
import { describeError } from '../lib/plain-words.ts';
import { isBidSettled } from '../lib/receipt-progress.ts';
import { positionOf } from '../lib/receipt-words.ts';
import { trackReceipt } from '../state/track-receipt.ts';
import type { AppContext } from './app-context.ts';
import { h, setText } from './dom.ts';
import { createReceiptStatus } from './receipt-status.ts';

/** A bid just placed: what the 202 said, and the quantity (Dutch) the buyer asked for. */
export type PlacedBid =
  | { readonly accepted: DutchBidAccepted; readonly quantity: number }
  | { readonly accepted: EnglishBidAccepted };

/** The facts of the bid: Dutch quantity, unit price and total; English the amount; its place once settled. */
function createFacts(bid: PlacedBid, total: HTMLElement, place: HTMLElement): HTMLElement {
  const { accepted } = bid;
  const amounts =
    'quantity' in bid
      ? [
          h('dt', {}, 'Quantity'),
          h('dd', {}, String(bid.quantity)),
          h('dt', {}, 'Price per unit'),
          h('dd', {}, `${formatPoints(bid.accepted.unitPrice)} points`),
          h('dt', {}, 'Total'),
          total,
        ]
      : [
          h('dt', {}, 'Your bid'),
          h('dd', { 'data-testid': 'receipt-amount' }, `${formatPoints(bid.accepted.amount)} points`),
        ];
  return h(
    'dl',
    { class: 'facts' },
    ...amounts,
    h('dt', {}, 'Accepted at'),
    h('dd', { 'data-testid': 'receipt-accepted-at' }, formatClockMs(Date.parse(accepted.acceptedAt))),
    h('dt', {}, 'Place'),
    place,
    h('dt', {}, 'Receipt'),
    h('dd', { class: 'receipt-id' }, accepted.receiptId),
  );
}

export interface ReceiptCard {
  readonly element: HTMLElement;
  readonly receiptId: string;
  /** A later reading of the receipt from elsewhere (an English lead is OUTBID or WON after it settled). */
  show(receipt: Receipt): void;
}

/**
 * The receipt of a bid just placed, following it from PENDING until settled (Dutch: PURCHASED
 * or FAILED; English: LEADING or FAILED). `onSettled` lets the page reload what the settlement
 * changed (points, purchases, the outcome).
 */
export function createReceiptCard(
  ctx: AppContext,
  bid: PlacedBid,
  onSettled: (receipt: Receipt) => void,
  signal: AbortSignal,
): ReceiptCard {
  const status = createReceiptStatus('receipt-status');
  const total = h('dd', { 'data-testid': 'receipt-total' });
  const place = h('dd', { 'data-testid': 'receipt-position' }, 'Waiting for its place in line');
  const trouble = h('p', { class: 'form-error', role: 'alert' });
  const element = h(
    'section',
    { class: 'card receipt-card', 'aria-labelledby': 'receipt-heading', 'data-testid': 'receipt' },
    h('h2', { id: 'receipt-heading' }, 'Your bid'),
    status.element,
    createFacts(bid, total, place),
    trouble,
  );

  const showPlace = (receipt: Receipt) => {
    const position = positionOf(receipt);
    if (position === null) return;
    place.dataset.position = String(position);
    setText(place, describePosition(position, receipt.format));
  };
  const show = (receipt: Pick<Receipt, 'status' | 'failureReason'> & { total?: number }) => {
    status.show(receipt.status, receipt.failureReason);
    if (receipt.total !== undefined) setText(total, `${formatPoints(receipt.total)} points`);
  };
  show({ status: 'PENDING', ...('quantity' in bid ? { total: bid.accepted.unitPrice * bid.quantity } : {}) });

  const { token } = ctx.session.get();
  if (token !== null) {
    const reading = (receipt: Receipt) => {
      show(receipt);
      showPlace(receipt);
    };
    trackReceipt(token, bid.accepted.receiptId, isBidSettled, reading, signal)
      .then((last) => {
        if (last !== null && isBidSettled(last)) onSettled(last);
        else if (!signal.aborted)
          setText(trouble, 'Still waiting for the engine; your purchases list will show the outcome.');
      })
      .catch((error: unknown) => setText(trouble, describeError(error)));
  }
  return {
    element,
    receiptId: bid.accepted.receiptId,
    show: (receipt) => {
      status.show(receipt.status, receipt.failureReason);
      showPlace(receipt);
    },
  };
}
