import type { MemberCreated } from '@dutch/contract';
import { MAX_CHARGE, validateCharge } from '@dutch/domain';
import { chargePoints, signUp } from '../api/endpoints.ts';
import { describeError, describeViolation } from '../lib/plain-words.ts';
import type { AppContext } from './app-context.ts';
import { h, setText } from './dom.ts';
import { labelledField, numberInput } from './field.ts';

/** A form that shows a request's failure under its button and blocks double submits. */
function submitting(form: HTMLFormElement, button: HTMLButtonElement, error: HTMLElement, run: () => Promise<void>) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setText(error, '');
    button.disabled = true;
    try {
      await run();
    } catch (failure) {
      setText(error, describeError(failure));
    } finally {
      button.disabled = false;
    }
  });
}

function formCard(headingId: string, heading: string, form: HTMLFormElement): HTMLElement {
  return h('section', { class: 'card', 'aria-labelledby': headingId }, h('h2', { id: headingId }, heading), form);
}

export function createSignUpForm(onCreated: (created: MemberCreated) => void): HTMLElement {
  const name = labelledField(
    'Your name',
    h('input', { required: true, maxlength: 100, autocomplete: 'nickname', 'data-testid': 'signup-name' }),
  );
  const button = h('button', { type: 'submit', class: 'primary', 'data-testid': 'signup-button' }, 'Sign up');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { novalidate: true }, name.element, button, error);
  submitting(form, button, error, async () => {
    if (name.control.value.trim() === '') {
      setText(error, 'Enter a name.');
      return;
    }
    onCreated(await signUp(name.control.value.trim()));
  });
  return formCard('signup-heading', 'New here? Sign up', form);
}

export function createSignInForm(ctx: AppContext): HTMLElement {
  const token = labelledField(
    'Token',
    h('input', { required: true, autocomplete: 'off', spellcheck: false, 'data-testid': 'signin-token' }),
    'Paste the token you were given when you signed up.',
  );
  const button = h('button', { type: 'submit', class: 'primary', 'data-testid': 'signin-button' }, 'Sign in');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { novalidate: true }, token.element, button, error);
  submitting(form, button, error, async () => {
    await ctx.session.signIn(token.control.value);
  });
  return formCard('signin-heading', 'Have a token? Sign in', form);
}

export function createChargeForm(ctx: AppContext): HTMLElement {
  const amount = labelledField(
    'Points to add',
    numberInput({ min: 1, max: MAX_CHARGE, required: true, 'data-testid': 'charge-amount' }),
  );
  const button = h('button', { type: 'submit', class: 'primary', 'data-testid': 'charge-button' }, 'Add points');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const done = h('p', { class: 'hint', role: 'status' });
  const form = h('form', { novalidate: true }, amount.element, button, error, done);
  submitting(form, button, error, async () => {
    const { token } = ctx.session.get();
    setText(done, '');
    if (token === null) return;
    const checked = validateCharge(Number(amount.control.value));
    if (!checked.ok) {
      const [first] = checked.error.code === 'INVALID_REQUEST' ? checked.error.violations : [];
      setText(error, describeViolation('Points to add', first?.message ?? checked.error.message));
      return;
    }
    const value = checked.value;
    const { points } = await chargePoints(token, value);
    ctx.session.setPoints(points);
    amount.control.value = '';
    setText(done, `Added ${value.toLocaleString('en-US')} points.`);
  });
  return formCard('charge-heading', 'Charge points', form);
}
