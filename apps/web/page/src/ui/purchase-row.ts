import type { AuctionView, Receipt } from '@dutch/contract';
import { checkRefundable, type Millis } from '@dutch/domain';
import { requestRefund } from '../api/endpoints.ts';
import { formatCountdown } from '../lib/format.ts';
import { describeError } from '../lib/plain-words.ts';
import { createRefundProgress, isBidSettled, showsRefundButton } from '../lib/receipt-progress.ts';
import { describeReceiptAmount, describeReceiptPlace, positionOf } from '../lib/receipt-words.ts';
import { hrefOf } from '../lib/routes.ts';
import { trackReceipt } from '../state/track-receipt.ts';
import type { AppContext } from './app-context.ts';
import { h, setText, uniqueId } from './dom.ts';
import { createReceiptStatus } from './receipt-status.ts';

export interface PurchaseRow {
  readonly element: HTMLLIElement;
  /** A fresh reading from the purchases list; ignored while this row follows the receipt itself. */
  update(receipt: Receipt): void;
  tick(now: Millis): void;
}

function createRowElements(receipt: Receipt, showAuction: boolean) {
  const titleId = uniqueId('purchase');
  const title = h('span', {}, 'Auction');
  const heading = h(
    'p',
    { class: 'purchase-title', id: titleId },
    showAuction ? h('a', { href: hrefOf({ name: 'auction', id: receipt.auctionId }) }, title) : title,
  );
  const amount = h('p', { class: 'purchase-amount' });
  const place = h('p', { class: 'hint', 'data-testid': 'purchase-position' });
  const status = createReceiptStatus('purchase-status');
  const refund = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'refund-button', 'aria-describedby': titleId, disabled: true },
    'Refund',
  );
  const note = h('p', { class: 'hint', 'data-testid': 'refund-note' });
  const trouble = h('p', { class: 'form-error', role: 'alert' });
  const element = h(
    'li',
    { class: 'purchase', 'data-testid': 'purchase', 'data-receipt-id': receipt.id },
    heading,
    amount,
    place,
    status.element,
    h('div', { class: 'purchase-actions' }, refund, note),
    trouble,
  );

  return { element, title, amount, place, status, refund, note, trouble };
}

/** Enables the Refund button by the server's own refund rule, on its clock, and says why not yet. */
function showRefundState(
  refund: HTMLButtonElement,
  note: HTMLElement,
  { receipt, endsAt, following }: { receipt: Receipt; endsAt: Millis | null; following: boolean },
  now: Millis,
): void {
  // Undecided until the auction's end is known.
  const verdict = endsAt === null ? null : checkRefundable(receipt, { endsAt }, now);
  // Nothing more can happen to a failed, refunded or lost receipt: no button to wonder about.
  refund.hidden = !showsRefundButton(receipt);
  refund.disabled = following || verdict?.ok !== true;
  // The one refusal that time lifts: say when.
  const waiting = !following && verdict?.ok === false && verdict.error.code === 'AUCTION_NOT_ENDED';
  setText(
    note,
    waiting && endsAt !== null ? `Refunds open when the auction ends, in ${formatCountdown(endsAt - now)}.` : '',
  );
}

/** Where the receipt stands in its auction's settlement order, and when it was accepted. */
function showPlace(place: HTMLElement, receipt: Receipt): void {
  setText(place, describeReceiptPlace(receipt));
  place.dataset.position = String(positionOf(receipt) ?? '');
}

/** Names the row after its auction; resolves with the auction's end (null when it could not be read). */
async function loadAuctionOf(ctx: AppContext, receipt: Receipt, title: HTMLElement): Promise<Millis | null> {
  const view: AuctionView | null = await ctx.auctions.get(receipt.auctionId);
  if (view === null) return null;
  setText(title, view.title);
  return Date.parse(view.endsAt);
}

type Progress = { isDone(r: Receipt): boolean; shownStatus?(r: Receipt): Receipt['status'] };

/** Shows every reading of the receipt until it is done; false, with the reason shown, if tracking failed. */
async function trackToTheEnd(
  token: string,
  receiptId: string,
  progress: Progress,
  show: (receipt: Receipt, status?: Receipt['status']) => void,
  trouble: HTMLElement,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    await trackReceipt(token, receiptId, progress.isDone, (r) => show(r, progress.shownStatus?.(r)), signal);
    return true;
  } catch (error) {
    setText(trouble, describeError(error));
    return false;
  }
}

/** Asks for the refund; false, with the reason shown, when the server refused it. */
async function sendRefund(
  token: string,
  receipt: Receipt,
  refund: HTMLButtonElement,
  trouble: HTMLElement,
): Promise<boolean> {
  refund.disabled = true;
  setText(trouble, '');
  try {
    await requestRefund(token, receipt.id);
    return true;
  } catch (error) {
    setText(trouble, describeError(error));
    return false;
  }
}

/**
 * One receipt in the buyer's history, with its Refund button: enabled for a PURCHASED receipt
 * once the auction has ended by the server's clock, as the server checks it.
 */
export function createPurchaseRow(
  ctx: AppContext,
  initial: Receipt,
  showAuction: boolean,
  onSettled: () => void,
  signal: AbortSignal,
): PurchaseRow {
  let receipt = initial;
  let endsAt: Millis | null = null;
  let following = false;
  const { element, title, amount, place, status, refund, note, trouble } = createRowElements(receipt, showAuction);
  const show = (shown: Receipt, shownStatus = shown.status) => {
    receipt = shown;
    setText(amount, describeReceiptAmount(shown));
    showPlace(place, shown);
    // A failureReason beside PURCHASED or WON is a refused refund; on REFUND_PENDING it is stale.
    const reasonShown = shownStatus === 'PURCHASED' || shownStatus === 'WON' || shownStatus === 'FAILED';
    status.show(shownStatus, reasonShown ? shown.failureReason : undefined);
    row.tick(ctx.clock.now());
  };

  const follow = async (progress: Progress) => {
    const { token } = ctx.session.get();
    if (token === null) return;
    following = true;
    if (await trackToTheEnd(token, receipt.id, progress, show, trouble, signal)) onSettled();
    following = false;
    row.tick(ctx.clock.now());
  };

  refund.addEventListener('click', async () => {
    const token = ctx.session.get().token;
    if (token === null) return;
    if (await sendRefund(token, receipt, refund, trouble)) {
      show(receipt, 'REFUND_PENDING');
      void follow(createRefundProgress());
    } else row.tick(ctx.clock.now());
  });

  const row: PurchaseRow = {
    element,
    update(next) {
      if (!following) show(next);
    },
    tick(now) {
      showRefundState(refund, note, { receipt, endsAt, following }, now);
    },
  };

  // The row is named after its auction, and the refund rule needs the auction's end.
  void loadAuctionOf(ctx, receipt, title).then((end) => {
    endsAt = end;
    row.tick(ctx.clock.now());
  });
  show(receipt);
  if (receipt.status === 'PENDING') void follow({ isDone: isBidSettled });
  else if (receipt.status === 'REFUND_PENDING') void follow(createRefundProgress(true));
  return row;
}
