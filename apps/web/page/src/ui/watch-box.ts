import type { AuctionFormat } from '@dutch/domain';
import type { WatchSet } from '../api/types.ts';
import { describeError } from '../lib/plain-words.ts';
import { describeAlertPrice, describeWatching, parseAlertPrice } from '../lib/watch-form.ts';
import type { AppContext } from './app-context.ts';
import { showBuyNote } from './buy-box.ts';
import { h, setText } from './dom.ts';
import { labelledField, numberInput } from './field.ts';

export interface WatchBox {
  readonly element: HTMLElement;
  /** Dutch: the price now and the lowest the schedule reaches, for the alert price's hint. */
  update(prices: { current: number; lowest: number } | null): void;
}

function createWatchElements(dutch: boolean) {
  const status = h('p', { 'data-testid': 'watch-status', role: 'status' });
  const alert = dutch
    ? labelledField(
        'Alert me at this price or below (points)',
        numberInput({ min: 1, 'data-testid': 'alert-price' }),
        'Optional.',
      )
    : null;
  const button = h('button', { type: 'submit', class: 'primary', 'data-testid': 'watch-button' }, 'Watch');
  const stop = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'unwatch-button', hidden: true },
    'Stop watching',
  );
  const note = h('p', { class: 'hint' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'watch-error' });
  const form = h(
    'form',
    { novalidate: true },
    alert?.element,
    h('div', { class: 'inline' }, button, stop),
    note,
    error,
  );
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'watch-heading' },
    h('h2', { id: 'watch-heading' }, 'Watch'),
    status,
    form,
  );
  return { element, form, status, alert, button, stop, note, error };
}

type WatchParts = ReturnType<typeof createWatchElements>;

/** What the box knows: the member's watch of this auction (once read), and whether a change is on its way. */
interface WatchState {
  watch: WatchSet | null;
  known: boolean;
  sending: boolean;
  /** Dutch: the price now and the lowest the schedule reaches. */
  prices: { current: number; lowest: number } | null;
}

function paintWatch(parts: WatchParts, state: WatchState, token: string | null, english: boolean): void {
  const { status, alert, button, stop, note } = parts;
  const { watch, known, sending, prices } = state;
  setText(status, token === null ? '' : known ? describeWatching(watch, english) : 'Checking your watches…');
  status.dataset.watching = String(watch !== null);
  setText(button, watch === null ? 'Watch' : 'Save alert price');
  button.hidden = english && watch !== null;
  button.disabled = sending || token === null || !known;
  button.setAttribute('aria-pressed', String(watch !== null));
  stop.hidden = watch === null;
  stop.disabled = sending;
  showBuyNote(note, token, '', 'watch');
  if (alert !== null && prices !== null) {
    const parsed = parseAlertPrice(alert.control.value);
    const hint = parsed.ok ? describeAlertPrice(parsed.alertPrice, prices, watch?.alertPrice ?? null) : '';
    alert.setHint(hint || 'Optional.');
  }
}

/**
 * Watch this auction (PUT/DELETE /auctions/:id/watch): a notification when it starts, and for
 * Dutch when the price reaches the alert price, for English when a minute is left.
 */
export function createWatchBox(
  ctx: AppContext,
  auctionId: string,
  format: AuctionFormat,
  signal: AbortSignal,
): WatchBox {
  const english = format === 'english';
  const parts = createWatchElements(!english);
  const { form, alert, stop, error } = parts;
  const state: WatchState = { watch: null, known: false, sending: false, prices: null };
  const paint = () => paintWatch(parts, state, ctx.session.get().token, english);

  /** Reads the watch (again, for a new member), or makes a change; a refusal is shown under the buttons. */
  const run = async (task: () => Promise<WatchSet | null>, reading: boolean) => {
    Object.assign(state, reading ? { known: false, watch: null } : { sending: true });
    setText(error, '');
    paint();
    try {
      state.watch = await task();
      state.known = true;
      if (reading && alert !== null) alert.control.value = String(state.watch?.alertPrice ?? '');
    } catch (failure) {
      setText(error, describeError(failure));
    }
    state.sending = false;
    paint();
  };
  const load = () => run(() => ctx.watches.get(auctionId), true);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const parsed = alert === null ? { ok: true as const, alertPrice: null } : parseAlertPrice(alert.control.value);
    alert?.setError(parsed.ok ? null : parsed.message);
    if (parsed.ok) void run(() => ctx.watches.set(auctionId, parsed.alertPrice), false);
  });
  stop.addEventListener('click', () => void run(() => ctx.watches.remove(auctionId).then(() => null), false));
  alert?.control.addEventListener('input', paint);
  let token = ctx.session.get().token;
  ctx.session.subscribe((session) => {
    if (session.token === token) return;
    token = session.token;
    void load();
  }, signal);
  void load();
  return {
    element: parts.element,
    update(prices) {
      state.prices = prices;
      paint();
    },
  };
}
