import {
  type AuctionFormat,
  MAX_DURATION_SECONDS,
  MAX_ENGLISH_DURATION_SECONDS,
  MAX_EXTEND_SECONDS,
  MAX_PERCENT,
  MIN_PERCENT,
} from '@dutch/domain';
import type { AuctionFormValues, FormField } from '../lib/auction-form.ts';
import { formatDuration } from '../lib/format.ts';
import { h } from './dom.ts';
import { type Field, labelledField, numberInput } from './field.ts';
import { type Choices, createChoices } from './form-choices.ts';

export interface AuctionFormFields {
  readonly element: HTMLElement;
  read(): AuctionFormValues;
  setError(field: FormField, message: string | null): void;
  focus(field: FormField): void;
  /** Shows the inputs the chosen format, drop kind and end mode use, hides the others. */
  sync(): void;
}

type TextField = Exclude<FormField, 'format' | 'pricing' | 'dropKind' | 'endMode' | 'showStock'>;
type TextFields = Record<TextField, Field<HTMLInputElement | HTMLTextAreaElement>>;

const MAX_SECONDS: Record<AuctionFormat, readonly [number, string]> = {
  dutch: [MAX_DURATION_SECONDS, 'one hour'],
  english: [MAX_ENGLISH_DURATION_SECONDS, 'seven days'],
};

const START_HINTS: Record<AuctionFormat, string> = {
  dutch: 'The price at the start; it falls from there.',
  english: 'The least the first bid may offer.',
};

/** The duration in words as the seller types it, with the format's limit. */
function durationHint(seconds: string, format: AuctionFormat): string {
  const words = formatDuration(Number(seconds));
  const [max, inWords] = MAX_SECONDS[format];
  const limit = `At most ${max} seconds (${inWords}).`;
  return words === '' ? limit : `${words}. ${limit}`;
}

/** The inputs only an English auction has. */
function createEnglishFields(
  initial: AuctionFormValues,
): Pick<TextFields, 'minIncrement' | 'reservePrice' | 'extendSeconds'> {
  return {
    minIncrement: labelledField(
      'Minimum raise (points)',
      numberInput({ min: 1, required: true, value: initial.minIncrement }),
      'Each bid must beat the high bid by at least this.',
    ),
    reservePrice: labelledField(
      'Reserve price (points, optional)',
      numberInput({ min: 1, value: initial.reservePrice }),
      'Below it the lot is not sold. Bidders see only whether it is met.',
    ),
    extendSeconds: labelledField(
      'Extend on late bids (seconds)',
      numberInput({ min: 0, max: MAX_EXTEND_SECONDS, value: initial.extendSeconds }),
      `A leading bid this close to the end moves the end this far past the bid. 0 turns it off; at most ${MAX_EXTEND_SECONDS}.`,
    ),
  };
}

function createTextFields(initial: AuctionFormValues): TextFields {
  const text = (attrs: Record<string, string | number | boolean>) => h('input', { ...attrs });
  const fields: TextFields = {
    title: labelledField('Title', text({ required: true, maxlength: 200, value: initial.title })),
    description: labelledField('Description', h('textarea', { rows: 3, maxlength: 10_000 }, initial.description)),
    startPrice: labelledField(
      'Start price (points)',
      numberInput({ min: 1, required: true, value: initial.startPrice }),
      START_HINTS[initial.format],
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
      numberInput({ min: 1, value: initial.durationSeconds }),
      durationHint(initial.durationSeconds, initial.format),
    ),
    endsAt: labelledField('Ends at', text({ type: 'datetime-local', step: 1, value: initial.endsAt })),
    stock: labelledField('Stock (units for sale)', numberInput({ min: 1, required: true, value: initial.stock })),
    perBuyerLimit: labelledField(
      'Limit per buyer (units)',
      numberInput({ min: 1, required: true, value: initial.perBuyerLimit }),
    ),
    ...createEnglishFields(initial),
  };
  for (const [name, field] of Object.entries(fields)) {
    field.control.name = name;
    field.control.dataset.testid = `form-${name}`;
  }
  return fields;
}

/** The groups sync() shows or hides by format: what only a Dutch or only an English auction has. */
function layOutFields(fields: TextFields, choices: Choices) {
  const { format, pricing, dropKind, endMode, showStock } = choices;
  const dutchPrices = h('div', {}, pricing.element);
  const dutchDrop = h(
    'div',
    {},
    dropKind.element,
    h(
      'div',
      { class: 'row' },
      fields.dropAmount.element,
      fields.dropPercent.element,
      fields.dropIntervalSeconds.element,
    ),
  );
  const dutchStock = h(
    'div',
    {},
    h('div', { class: 'row' }, fields.stock.element, fields.perBuyerLimit.element),
    h('div', { class: 'choice' }, showStock, h('label', { for: showStock.id }, 'Show the stock left to buyers')),
  );
  const englishPrices = h('div', { class: 'row' }, fields.minIncrement.element, fields.reservePrice.element);
  const element = h(
    'div',
    { class: 'form-fields' },
    format.element,
    fields.title.element,
    fields.description.element,
    dutchPrices,
    h('div', { class: 'row' }, fields.startPrice.element, fields.floorPrice.element),
    englishPrices,
    dutchDrop,
    fields.startsAt.element,
    endMode.element,
    fields.durationSeconds.element,
    fields.endsAt.element,
    fields.extendSeconds.element,
    dutchStock,
  );
  return {
    element,
    dutchOnly: [dutchPrices, dutchDrop, dutchStock, fields.floorPrice.element],
    englishOnly: [englishPrices, fields.extendSeconds.element],
  };
}

function readFields(fields: TextFields, choices: Choices): AuctionFormValues {
  const value = (field: TextField) => fields[field].control.value;
  return {
    format: choices.format.value(),
    title: value('title'),
    description: value('description'),
    startPrice: value('startPrice'),
    floorPrice: value('floorPrice'),
    dropKind: choices.dropKind.value(),
    dropAmount: value('dropAmount'),
    dropPercent: value('dropPercent'),
    dropIntervalSeconds: value('dropIntervalSeconds'),
    startsAt: value('startsAt'),
    endMode: choices.endMode.value(),
    durationSeconds: value('durationSeconds'),
    endsAt: value('endsAt'),
    stock: value('stock'),
    perBuyerLimit: value('perBuyerLimit'),
    showStock: choices.showStock.checked,
    pricing: choices.pricing.value(),
    minIncrement: value('minIncrement'),
    reservePrice: value('reservePrice'),
    extendSeconds: value('extendSeconds'),
  };
}

/** Every input of the create-auction form, labelled, with an error line each. */
export function createAuctionFormFields(initial: AuctionFormValues): AuctionFormFields {
  const fields = createTextFields(initial);
  const choices = createChoices(initial);
  const { element, dutchOnly, englishOnly } = layOutFields(fields, choices);
  const read = () => readFields(fields, choices);
  const isText = (field: FormField): field is TextField => field in fields;

  return {
    element,
    read,
    setError(field, message) {
      if (isText(field)) fields[field].setError(message);
    },
    focus(field) {
      if (isText(field)) fields[field].control.focus();
    },
    sync() {
      const values = read();
      const english = values.format === 'english';
      for (const part of dutchOnly) part.hidden = english;
      for (const part of englishOnly) part.hidden = !english;
      fields.dropAmount.element.hidden = values.dropKind !== 'constant';
      fields.dropPercent.element.hidden = values.dropKind !== 'percentage';
      fields.durationSeconds.element.hidden = values.endMode !== 'duration';
      fields.endsAt.element.hidden = values.endMode !== 'endsAt';
      fields.durationSeconds.control.setAttribute('max', String(MAX_SECONDS[values.format][0]));
      fields.durationSeconds.setHint(durationHint(values.durationSeconds, values.format));
      fields.startPrice.setHint(START_HINTS[values.format]);
    },
  };
}
