import { h, uniqueId } from './dom.ts';

export interface Field<E extends HTMLElement> {
  readonly element: HTMLDivElement;
  readonly control: E;
  /** Shows a message under the control and marks it invalid; null clears it. */
  setError(message: string | null): void;
  /** Replaces the hint, for hints that follow the value (a field created without one has none). */
  setHint(text: string): void;
}

/**
 * A labelled control with an optional hint and an error line, wired with for/id and
 * aria-describedby so screen readers read all three together.
 */
export function labelledField<E extends HTMLElement>(label: string, control: E, hint?: string): Field<E> {
  const id = control.id || uniqueId('field');
  control.id = id;
  const hintElement = hint === undefined ? null : h('p', { class: 'hint', id: `${id}-hint` }, hint);
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  control.setAttribute('aria-describedby', [hintElement?.id, error.id].filter(Boolean).join(' '));
  const element = h('div', { class: 'field' }, h('label', { for: id }, label), control, hintElement, error);
  return {
    element,
    control,
    setError(message) {
      error.hidden = message === null;
      error.textContent = message ?? '';
      if (message === null) control.removeAttribute('aria-invalid');
      else control.setAttribute('aria-invalid', 'true');
    },
    setHint(text) {
      if (hintElement !== null && hintElement.textContent !== text) hintElement.textContent = text;
    },
  };
}

export function numberInput(attrs: Record<string, string | number | boolean | undefined> = {}): HTMLInputElement {
  return h('input', { type: 'number', inputmode: 'numeric', step: 1, ...attrs });
}
