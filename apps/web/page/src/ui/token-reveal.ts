import { h, setText } from './dom.ts';

/**
 * The token a sign-up returns, shown this once with a Copy button: it is the member's only
 * key, and the server keeps just a hash of it.
 */
export function createTokenReveal(token: string): HTMLElement {
  const field = h('input', {
    id: 'new-token',
    class: 'token',
    readonly: true,
    value: token,
    'data-testid': 'new-token',
    spellcheck: false,
    autocomplete: 'off',
  });
  const feedback = h('p', { class: 'hint', role: 'status' });
  const copy = h('button', { type: 'button', class: 'secondary', 'data-testid': 'copy-token' }, 'Copy token');
  copy.addEventListener('click', async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(token);
      setText(feedback, 'Copied to the clipboard.');
    } catch {
      // No clipboard API outside secure contexts: the token is selected for Ctrl+C instead.
      setText(feedback, 'Press Ctrl+C (or ⌘C) to copy the selected token.');
    }
  });
  return h(
    'section',
    { class: 'card notice', 'aria-labelledby': 'new-token-heading' },
    h('h2', { id: 'new-token-heading' }, 'Your token'),
    h('p', {}, 'This is the only time it is shown. Keep it somewhere safe: it signs you in on any device.'),
    h('label', { for: 'new-token' }, 'Token'),
    h('div', { class: 'inline' }, field, copy),
    feedback,
  );
}
