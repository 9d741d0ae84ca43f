import type { AuctionCreate } from '@dutch/contract';
import type { Violation } from '@dutch/domain';
import { createAuction } from '../api/endpoints.ts';
import { ApiError } from '../api/http.ts';
import {
  type AuctionFormValues,
  defaultFormValues,
  draftFromForm,
  type FormField,
  fieldOfViolation,
  requestFromDraft,
} from '../lib/auction-form.ts';
import { checkAuctionForm, isPreviewDrawable } from '../lib/check-auction-form.ts';
import { englishDraftFromForm, englishRequestFromDraft } from '../lib/english-form.ts';
import { describeError, describeViolation } from '../lib/plain-words.ts';
import { hrefOf } from '../lib/routes.ts';
import type { AppContext } from './app-context.ts';
import { type AuctionFormFields, createAuctionFormFields } from './auction-form-fields.ts';
import { h, setText } from './dom.ts';
import { createEnglishPreview } from './english-preview.ts';
import { createSchedulePreview } from './schedule-preview.ts';
import { startTicker } from './ticker.ts';

const LABELS: Record<FormField, string> = {
  format: 'Format',
  title: 'Title',
  description: 'Description',
  startPrice: 'Start price',
  floorPrice: 'Floor price',
  dropKind: 'Price drop',
  dropAmount: 'Drop amount',
  dropPercent: 'Drop percentage',
  dropIntervalSeconds: 'Drop interval',
  startsAt: 'Start',
  endMode: 'End',
  durationSeconds: 'Duration',
  endsAt: 'End',
  stock: 'Stock',
  perBuyerLimit: 'Limit per buyer',
  showStock: 'Show stock',
  pricing: 'What buyers pay',
  minIncrement: 'Minimum raise',
  reservePrice: 'Reserve price',
  extendSeconds: 'Extension',
};

const LEAD =
  'Dutch: set a start price and how it falls. English: set where bidding opens and how much each bid must raise it.';

type ShowViolations = (values: AuctionFormValues, violations: readonly Violation[]) => void;

/** The domain's verdict on the form, shown under each field the seller has been to (or all, once submitted). */
function createChecker(ctx: AppContext, fields: AuctionFormFields, isVisible: (field: FormField) => boolean) {
  const showViolations: ShowViolations = (values, violations) => {
    const messages = new Map<FormField, string>();
    for (const v of violations) {
      const field = fieldOfViolation(v.field, values);
      if (!messages.has(field)) messages.set(field, describeViolation(LABELS[field], v.message));
    }
    for (const field of Object.keys(LABELS) as FormField[]) {
      fields.setError(field, isVisible(field) ? (messages.get(field) ?? null) : null);
    }
  };

  /** Shows each field's first violation, if the seller has been there; returns all of them. */
  const check = (values: AuctionFormValues): Violation[] => {
    const violations = checkAuctionForm(values, ctx.clock.now());
    showViolations(values, violations);
    return violations;
  };
  return { check, showViolations };
}

/** The body of POST /auctions for the chosen format. */
function requestFromForm(values: AuctionFormValues): AuctionCreate {
  return values.format === 'english'
    ? englishRequestFromDraft(englishDraftFromForm(values))
    : requestFromDraft(draftFromForm(values));
}

/** Sends a draft the domain accepted and opens the new auction. */
async function sendAuction(
  ctx: AppContext,
  token: string,
  values: AuctionFormValues,
  { submit, summary }: { submit: HTMLButtonElement; summary: HTMLElement },
  showViolations: ShowViolations,
): Promise<void> {
  submit.disabled = true;
  setText(summary, '');
  try {
    const created = await createAuction(token, requestFromForm(values));
    ctx.auctions.remember(created);
    location.hash = hrefOf({ name: 'auction', id: created.id });
  } catch (error) {
    // The server speaks the same violations; put them under their fields too.
    if (error instanceof ApiError && error.details.length > 0) showViolations(values, error.details);
    setText(summary, describeError(error));
  } finally {
    submit.disabled = false;
  }
}

/** Nothing is sent while the domain refuses the draft: say how much to fix, and go to the first. */
function askForFixes(
  fields: AuctionFormFields,
  summary: HTMLElement,
  values: AuctionFormValues,
  violations: readonly Violation[],
): void {
  const first = violations[0];
  setText(
    summary,
    `Please fix ${violations.length === 1 ? 'the highlighted field' : `${violations.length} problems`} first.`,
  );
  if (first !== undefined) fields.focus(fieldOfViolation(first.field, values));
}

/** The Dutch price schedule or the English increments, whichever format the form is set to. */
function createPreviews(signal: AbortSignal) {
  const schedule = createSchedulePreview(signal);
  const english = createEnglishPreview();
  return {
    element: h('div', {}, schedule.element, english.element),
    show(values: AuctionFormValues, drawable: boolean) {
      const isEnglish = values.format === 'english';
      schedule.element.hidden = isEnglish;
      english.element.hidden = !isEnglish;
      if (isEnglish) english.show(drawable ? englishDraftFromForm(values) : null);
      else schedule.show(drawable ? draftFromForm(values) : null);
    },
  };
}

/** Selling needs an account: says so while nobody is signed in. */
function createSignedOutNotice(ctx: AppContext, signal: AbortSignal): HTMLElement {
  const notice = h(
    'p',
    { class: 'card notice' },
    'You need to be signed in to sell. ',
    h('a', { href: '#/account' }, 'Sign in or sign up'),
    '.',
  );
  const update = () => {
    notice.hidden = ctx.session.get().token !== null;
  };
  ctx.session.subscribe(update, signal);
  update();
  return notice;
}

/**
 * The create-auction form. It checks the draft with the domain's validator for the chosen format
 * as the seller types (the very rules the server applies) and previews the price schedule
 * (Dutch) or the first bids' minimums (English) before anything is sent.
 */
export function renderSellPage(ctx: AppContext, signal: AbortSignal): HTMLElement {
  const fields = createAuctionFormFields(defaultFormValues(ctx.clock.now()));
  const preview = createPreviews(signal);
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'create-button' }, 'Create auction');
  const summary = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'form-errors' });
  const form = h(
    'form',
    { class: 'card', novalidate: true, 'aria-label': 'New auction' },
    fields.element,
    submit,
    summary,
  );

  const touched = new Set<FormField>();
  let submitted = false;
  const { check, showViolations } = createChecker(ctx, fields, (field) => submitted || touched.has(field));

  const refresh = () => {
    fields.sync();
    const values = fields.read();
    const violations = check(values);
    preview.show(values, isPreviewDrawable(values, violations));
    if (violations.length === 0) setText(summary, '');
  };

  const markTouched = (event: Event) => {
    const name = (event.target as HTMLInputElement | null)?.name;
    if (name !== undefined && name in LABELS) touched.add(name as FormField);
    refresh();
  };
  form.addEventListener('input', markTouched);
  form.addEventListener('change', markTouched);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submitted = true;
    const values = fields.read();
    const violations = check(values);
    const { token } = ctx.session.get();
    if (violations.length > 0) return askForFixes(fields, summary, values, violations);
    if (token === null) {
      setText(summary, 'Sign in to create an auction.');
      return;
    }
    await sendAuction(ctx, token, values, { submit, summary }, showViolations);
  });

  // "Not in the past" depends on the clock: keep the verdict current while the seller thinks.
  startTicker(ctx.clock, () => null, refresh, signal);

  return h(
    'div',
    { class: 'page' },
    h('h1', { tabindex: -1 }, 'Sell'),
    h('p', { class: 'lead' }, LEAD),
    createSignedOutNotice(ctx, signal),
    h('div', { class: 'sell-layout' }, form, preview.element),
  );
}
