import type { AuctionFormat, Pricing } from '@dutch/domain';
import type { AuctionFormValues, DropKind, EndMode } from '../lib/auction-form.ts';
import { h } from './dom.ts';

export interface RadioGroup<T extends string> {
  readonly element: HTMLFieldSetElement;
  value(): T;
}

export function radioGroup<T extends string>(
  legend: string,
  name: string,
  options: readonly (readonly [T, string])[],
  checked: T,
): RadioGroup<T> {
  const inputs = options.map(([value, label]) => {
    const input = h('input', { type: 'radio', name, value, id: `${name}-${value}`, checked: value === checked });
    return { input, element: h('div', { class: 'choice' }, input, h('label', { for: input.id }, label)) };
  });
  return {
    element: h('fieldset', { class: 'choices' }, h('legend', {}, legend), ...inputs.map((i) => i.element)),
    value: () => (inputs.find((i) => i.input.checked)?.input.value ?? checked) as T,
  };
}

/** The form's choices: radios and the checkbox, as opposed to the typed fields. */
export interface Choices {
  readonly format: RadioGroup<AuctionFormat>;
  readonly pricing: RadioGroup<Pricing>;
  readonly dropKind: RadioGroup<DropKind>;
  readonly endMode: RadioGroup<EndMode>;
  readonly showStock: HTMLInputElement;
}

export function createChoices(initial: AuctionFormValues): Choices {
  const format = radioGroup<AuctionFormat>(
    'Format',
    'format',
    [
      ['dutch', 'Dutch: the price falls until someone buys'],
      ['english', 'English: bidders raise the price; the highest bid wins'],
    ],
    initial.format,
  );
  const pricing = radioGroup<Pricing>(
    'What buyers pay',
    'pricing',
    [
      ['pay_as_bid', 'The price at the moment they buy'],
      ['uniform', 'Everyone pays the final price (the lowest any buyer paid)'],
    ],
    initial.pricing,
  );
  const dropKind = radioGroup<DropKind>(
    'Price drop',
    'dropKind',
    [
      ['constant', 'By a fixed amount'],
      ['percentage', 'By a percentage'],
    ],
    initial.dropKind,
  );
  const endMode = radioGroup<EndMode>(
    'End',
    'endMode',
    [
      ['duration', 'After a duration'],
      ['endsAt', 'At a time'],
    ],
    initial.endMode,
  );
  const showStock = h('input', {
    type: 'checkbox',
    id: 'form-show-stock',
    name: 'showStock',
    checked: initial.showStock,
  });
  return { format, pricing, dropKind, endMode, showStock };
}
