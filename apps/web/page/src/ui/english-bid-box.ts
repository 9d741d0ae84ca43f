import { type Millis, validateEnglishBid } from '@dutch/domain';
import { placeEnglishBid } from '../api/endpoints.ts';
import { ApiError } from '../api/http.ts';
import { englishStatusOf, type LiveEnglish } from '../lib/english-auction.ts';
import { formatPoints } from '../lib/format.ts';
import { describeError, describeViolation } from '../lib/plain-words.ts';
import { randomUuid } from '../lib/random-uuid.ts';
import { retryTransient } from '../lib/retry.ts';
import type { ViewerOutcome } from '../lib/viewer-outcome.ts';
import type { AppContext } from './app-context.ts';
import { isTransient, type OnAccepted, showBuyNote } from './buy-box.ts';
import { h, setText } from './dom.ts';
import { labelledField, numberInput } from './field.ts';

export interface EnglishBidBox {
  readonly element: HTMLElement;
  update(live: LiveEnglish, now: Millis, outcome: ViewerOutcome): void;
}

function createBidElements() {
  const amount = labelledField(
    'Your bid (points)',
    numberInput({ min: 1, required: true, 'data-testid': 'bid-amount' }),
    'Filled in at the minimum next bid; offer more if you like.',
  );
  const button = h('button', { type: 'submit', class: 'primary', 'data-testid': 'bid-button' }, 'Place bid');
  const note = h('p', { class: 'hint', 'data-testid': 'bid-note' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'bid-error' });
  const form = h('form', { novalidate: true }, amount.element, button, note, error);
  const element = h(
    'section',
    { class: 'card buy-box', 'aria-labelledby': 'bid-heading' },
    h('h2', { id: 'bid-heading' }, 'Bid'),
    form,
  );
  return { element, form, amount, button, note, error };
}

/** The domain's shape check and the minimum the page knows, said before sending. */
function checkAmount(token: string | null, amount: number, least: number): string | null {
  if (token === null) return 'Sign in to bid.';
  const checked = validateEnglishBid({ amount });
  if (!checked.ok) {
    const first = 'violations' in checked.error ? checked.error.violations[0] : undefined;
    return first === undefined ? checked.error.message : describeViolation('Your bid', first.message);
  }
  return amount < least ? `Your bid must be at least ${formatPoints(least)} points, the minimum next bid.` : null;
}

function bidNote(live: LiveEnglish, now: Millis, outcome: ViewerOutcome, points: number | null): string {
  if (outcome.kind === 'seller') return 'This is your auction; sellers cannot bid on their own.';
  const status = englishStatusOf(live, now);
  if (status === 'scheduled') return 'Bidding opens when the auction starts.';
  if (status === 'ended') return 'Bidding is over.';
  const free = points === null ? '' : ` You have ${formatPoints(points)} points free.`;
  if (outcome.kind === 'leading') return `You lead: raising your own bid holds only the difference.${free}`;
  return `While your bid leads, its amount is held from your points; it comes back if you are outbid.${free}`;
}

/**
 * The amount (following the minimum next bid until the bidder types their own) and Place bid.
 * Each click is one bid under a fresh Idempotency-Key, resent under the same key while the
 * failure is transient. A BID_TOO_LOW refusal means the page's minimum was stale: `onStale` reloads it.
 */
export function createEnglishBidBox(
  ctx: AppContext,
  auctionId: string,
  onAccepted: OnAccepted,
  onStale: () => void,
): EnglishBidBox {
  const { element, form, amount, button, note, error } = createBidElements();
  let followMinimum = true;
  let sending = false;
  let open = false;
  let least = 1;
  amount.control.addEventListener('input', () => {
    followMinimum = amount.control.value === '';
  });
  const refreshButton = () => {
    button.disabled = sending || !open;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { token } = ctx.session.get();
    const offered = Number(amount.control.value);
    const problem = checkAmount(token, offered, least);
    setText(error, problem ?? '');
    if (problem !== null || token === null) return;
    sending = true;
    refreshButton();
    try {
      const key = randomUuid();
      const accepted = await retryTransient(
        () => placeEnglishBid(token, auctionId, { amount: offered }, key),
        isTransient,
      );
      followMinimum = true; // the next bid starts again from the minimum
      onAccepted({ accepted });
    } catch (failure) {
      setText(error, describeError(failure));
      if (failure instanceof ApiError && failure.code === 'BID_TOO_LOW') onStale();
    }
    sending = false;
    refreshButton();
  });

  return {
    element,
    update(live, now, outcome) {
      const { token, member } = ctx.session.get();
      open = token !== null && outcome.kind !== 'seller' && englishStatusOf(live, now) === 'running';
      refreshButton();
      // Once closed there is nothing to bid on: only the note stays.
      amount.element.hidden = live.close !== null;
      button.hidden = live.close !== null;
      least = live.minNextBid;
      amount.control.min = String(least);
      if (followMinimum) amount.control.value = String(least);
      showBuyNote(note, token, bidNote(live, now, outcome, member?.points ?? null), 'bid');
    },
  };
}
