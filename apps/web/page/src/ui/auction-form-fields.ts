import { MAX_DURATION_SECONDS, MAX_PERCENT, MIN_PERCENT } from '@dutch/domain';
import type { AuctionFormValues, DropKind, EndMode, FormField } from '../lib/auction-form.ts';
import { formatDuration } from '../lib/format.ts';
import { h } from './dom.ts';
import { type Field, labelledField, numberInput } from './field.ts';

export interface AuctionFormFields {
  readonly element: HTMLElement;
  read(): AuctionFormValues;
  setError(field: FormField, message: string | null): void;
  focus(field: FormField): void;
  /** Shows the inputs the chosen drop kind and end mode use, hides the others. */
  sync(): void;
}

type TextField = Exclude<FormField, 'dropKind' | 'endMode' | 'showStock'>;

function radioGroup<T extends string>(
  legend: string,
  name: string,
  options: readonly (readonly [T, string])[],
  checked: T,
): { element: HTMLFieldSetElement; value(): T } {
  const inputs = options.map(([value, label]) => {
    const input = h('input', { type: 'radio', name, value, id: `${name}-${value}`, checked: value === checked });
    return { input, element: h('div', { class: 'choice' }, input, h('label', { for: input.id }, label)) };
  });
  return {
    element: h('fieldset', { class: 'choices' }, h('legend', {}, legend), ...inputs.map((i) => i.element)),
    value: () => (inputs.find((i) => i.input.checked)?.input.value ?? checked) as T,
  };
}

/** The duration in words as the seller types it, with the limit. */
function durationHint(seconds: string): string {
  const words = formatDuration(Number(seconds));
  const limit = `At most ${MAX_DURATION_SECONDS} seconds (one hour).`;
  return words === '' ? limit : `${words}. ${limit}`;
}

type TextFields = Record<TextField, Field<HTMLInputElement | HTMLTextAreaElement>>;

interface Choices {
  readonly dropKind: ReturnType<typeof radioGroup<DropKind>>;
  readonly endMode: ReturnType<typeof radioGroup<EndMode>>;
  readonly showStock: HTMLInputElement;
}

function createTextFields(initial: AuctionFormValues): TextFields {
  const text = (attrs: Record<string, string | number | boolean>) => h('input', { ...attrs });
  const fields: TextFields = {
    title: labelledField('Title', text({ required: true, maxlength: 200, value: initial.title })),
    description: labelledField('Description', h('textarea', { rows: 3, maxlength: 10_000 }, initial.description)),
    startPrice: labelledField(
      'Start price (points)',
      numberInput({ min: 1, required: true, value: initial.startPrice }),
    ),
    floorPrice: labelledField(
      'Floor price (points, optional)',
      numberInput({ min: 1, value: initial.floorPrice }),
      'The price never goes below it.',
    ),
    dropAmount: labelledField('Drop by (points)', numberInput({ min: 1, value: initial.dropAmount })),
    dropPercent: labelledField(
      'Drop by (% of the price)',
      numberInput({ min: MIN_PERCENT, max: MAX_PERCENT, value: initial.dropPercent }),
      `From ${MIN_PERCENT} to ${MAX_PERCENT}; prices are rounded down.`,
    ),
    dropIntervalSeconds: labelledField(
      'Drop every (seconds)',
      numberInput({ min: 1, required: true, value: initial.dropIntervalSeconds }),
      'Must divide the duration exactly.',
    ),
    startsAt: labelledField(
      'Starts at',
      text({ type: 'datetime-local', step: 1, required: true, value: initial.startsAt }),
      'Your local time.',
    ),
    durationSeconds: labelledField(
      'Duration (seconds)',
      numberInput({ min: 1, max: MAX_DURATION_SECONDS, value: initial.durationSeconds }),
      durationHint(initial.durationSeconds),
    ),
    endsAt: labelledField('Ends at', text({ type: 'datetime-local', step: 1, value: initial.endsAt })),
    stock: labelledField('Stock (units for sale)', numberInput({ min: 1, required: true, value: initial.stock })),
    perBuyerLimit: labelledField(
      'Limit per buyer (units)',
      numberInput({ min: 1, required: true, value: initial.perBuyerLimit }),
    ),
  };
  for (const [name, field] of Object.entries(fields)) {
    field.control.name = name;
    field.control.dataset.testid = `form-${name}`;
  }
  return fields;
}

function createChoices(initial: AuctionFormValues): Choices {
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
  return { dropKind, endMode, showStock };
}

function layOutFields(fields: TextFields, { dropKind, endMode, showStock }: Choices): HTMLElement {
  return h(
    'div',
    { class: 'form-fields' },
    fields.title.element,
    fields.description.element,
    h('div', { class: 'row' }, fields.startPrice.element, fields.floorPrice.element),
    dropKind.element,
    h(
      'div',
      { class: 'row' },
      fields.dropAmount.element,
      fields.dropPercent.element,
      fields.dropIntervalSeconds.element,
    ),
    fields.startsAt.element,
    endMode.element,
    fields.durationSeconds.element,
    fields.endsAt.element,
    h('div', { class: 'row' }, fields.stock.element, fields.perBuyerLimit.element),
    h('div', { class: 'choice' }, showStock, h('label', { for: showStock.id }, 'Show the stock left to buyers')),
  );
}

function readFields(fields: TextFields, { dropKind, endMode, showStock }: Choices): AuctionFormValues {
  const value = (field: TextField) => fields[field].control.value;
  return {
    title: value('title'),
    description: value('description'),
    startPrice: value('startPrice'),
    floorPrice: value('floorPrice'),
    dropKind: dropKind.value(),
    dropAmount: value('dropAmount'),
    dropPercent: value('dropPercent'),
    dropIntervalSeconds: value('dropIntervalSeconds'),
    startsAt: value('startsAt'),
    endMode: endMode.value(),
    durationSeconds: value('durationSeconds'),
    endsAt: value('endsAt'),
    stock: value('stock'),
    perBuyerLimit: value('perBuyerLimit'),
    showStock: showStock.checked,
  };
}

/** Every input of the create-auction form, labelled, with an error line each. */
export function createAuctionFormFields(initial: AuctionFormValues): AuctionFormFields {
  const fields = createTextFields(initial);
  const choices = createChoices(initial);
  const read = () => readFields(fields, choices);
  const isText = (field: FormField): field is TextField => field in fields;

  return {
    element: layOutFields(fields, choices),
    read,
    setError(field, message) {
      if (isText(field)) fields[field].setError(message);
    },
    focus(field) {
      if (isText(field)) fields[field].control.focus();
    },
    sync() {
      const values = read();
      fields.dropAmount.element.hidden = values.dropKind !== 'constant';
      fields.dropPercent.element.hidden = values.dropKind !== 'percentage';
      fields.durationSeconds.element.hidden = values.endMode !== 'duration';
      fields.endsAt.element.hidden = values.endMode !== 'endsAt';
      fields.durationSeconds.setHint(durationHint(values.durationSeconds));
    },
  };
}
