import { type AuctionMoment, validateBid } from '@dutch/domain';
import { placeBid } from '../api/endpoints.ts';
import { ApiError } from '../api/http.ts';
import type { LiveAuction } from '../lib/live-auction.ts';
import { describeError, describeViolation } from '../lib/plain-words.ts';
import { randomUuid } from '../lib/random-uuid.ts';
import { retryTransient } from '../lib/retry.ts';
import type { AppContext } from './app-context.ts';
import { h, setText } from './dom.ts';
import { labelledField, numberInput } from './field.ts';
import type { PlacedBid } from './receipt-card.ts';

export interface BuyBox {
  readonly element: HTMLElement;
  update(live: LiveAuction, moment: AuctionMoment): void;
}

export type OnAccepted = (bid: PlacedBid) => void;

function createBuyElements() {
  const quantity = labelledField(
    'Quantity',
    numberInput({ min: 1, value: 1, required: true, 'data-testid': 'buy-quantity' }),
  );
  const maxPrice = labelledField(
    'Highest price you accept, per unit',
    numberInput({ min: 1, required: true, 'data-testid': 'buy-max-price' }),
    'You pay the price at the moment the engine takes your bid, never more than this.',
  );
  const button = h('button', { type: 'submit', class: 'primary', 'data-testid': 'buy-button' }, 'Buy now');
  const note = h('p', { class: 'hint', 'data-testid': 'buy-note' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'buy-error' });
  const form = h('form', { novalidate: true }, quantity.element, maxPrice.element, button, note, error);
  const element = h(
    'section',
    { class: 'card buy-box', 'aria-labelledby': 'buy-heading' },
    h('h2', { id: 'buy-heading' }, 'Buy'),
    form,
  );
  return { element, form, quantity, maxPrice, button, note, error };
}

/** Sends one bid under one fresh key, resent under that same key while the failure is transient. */
async function sendBid(
  token: string,
  auctionId: string,
  bid: { quantity: number; maxPrice: number },
  onAccepted: OnAccepted,
  error: HTMLElement,
): Promise<void> {
  try {
    const key = randomUuid();
    const accepted = await retryTransient(() => placeBid(token, auctionId, bid, key), isTransient);
    onAccepted({ accepted, quantity: bid.quantity });
  } catch (failure) {
    setText(error, describeError(failure));
  }
}

/** The line under the button: how to take part when signed out, else `text`. */
export function showBuyNote(note: HTMLElement, token: string | null, text: string, verb = 'buy'): void {
  // Rebuilt only on change: replacing a focused link every second would lose the focus.
  if (token === null && note.dataset.kind !== 'signed-out') {
    note.dataset.kind = 'signed-out';
    note.replaceChildren(`To ${verb}, `, h('a', { href: '#/account' }, 'sign in or sign up'), '.');
  } else if (token !== null && note.textContent !== text) {
    note.dataset.kind = 'status';
    note.textContent = text;
  }
}

/**
 * Quantity, the highest price the buyer accepts (following the current price until they type
 * their own), and Buy. Each click is one bid with a fresh Idempotency-Key; when the network
 * loses the answer, the same request is sent again with the same key, so the buyer gets the
 * original receipt back rather than a second bid.
 */
export function createBuyBox(ctx: AppContext, auctionId: string, onAccepted: OnAccepted): BuyBox {
  const { element, form, quantity, maxPrice, button, note, error } = createBuyElements();

  let followPrice = true;
  let sending = false;
  let open = false;
  let perBuyerLimit = 1;
  maxPrice.control.addEventListener('input', () => {
    followPrice = maxPrice.control.value === '';
  });

  const refreshButton = () => {
    button.disabled = sending || !open;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { token } = ctx.session.get();
    const q = Number(quantity.control.value);
    const max = Number(maxPrice.control.value);
    const problem = checkBid(token, perBuyerLimit, q, max);
    setText(error, problem ?? '');
    if (problem !== null || token === null) return;
    sending = true;
    refreshButton();
    await sendBid(token, auctionId, { quantity: q, maxPrice: max }, onAccepted, error);
    sending = false;
    refreshButton();
  });

  return {
    element,
    update(live, moment) {
      const { member, token } = ctx.session.get();
      const isSeller = member !== null && member.id === live.view.sellerId;
      open = token !== null && !isSeller && moment.status === 'running';
      refreshButton();
      perBuyerLimit = live.view.perBuyerLimit;
      quantity.control.max = String(Math.min(live.view.perBuyerLimit, live.stock ?? live.view.perBuyerLimit) || 1);
      if (followPrice) maxPrice.control.value = String(moment.currentPrice);
      showBuyNote(note, token, buyNote(isSeller, moment, live.view));
    },
  };
}

/** No answer, or the server could not take the bid just now (503 while Redis is away). */
export function isTransient(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status >= 500);
}

const BID_LABELS: Record<string, string> = { quantity: 'Quantity', maxPrice: 'The highest price' };

/** The domain's shape checks, which the server would refuse with a 400, said before sending. */
function checkBid(token: string | null, perBuyerLimit: number, quantity: number, maxPrice: number): string | null {
  if (token === null) return 'Sign in to buy.';
  const checked = validateBid({ quantity, maxPrice }, perBuyerLimit);
  if (checked.ok) return null;
  const first = 'violations' in checked.error ? checked.error.violations[0] : undefined;
  return first === undefined
    ? checked.error.message
    : describeViolation(BID_LABELS[first.field] ?? first.field, first.message);
}

function buyNote(isSeller: boolean, moment: AuctionMoment, view: LiveAuction['view']): string {
  if (isSeller) return 'This is your auction; sellers cannot buy their own.';
  switch (moment.status) {
    case 'scheduled':
      return 'Buying opens when the auction starts.';
    case 'sold_out':
      return 'Sold out. Stock may come back if a buyer is refunded.';
    case 'ended':
      return 'This auction has ended.';
    case 'running':
      return view.pricing === 'uniform'
        ? `Up to ${view.perBuyerLimit} per buyer. You pay this price now; at the close, everyone pays the final price.`
        : `Up to ${view.perBuyerLimit} per buyer.`;
  }
}
