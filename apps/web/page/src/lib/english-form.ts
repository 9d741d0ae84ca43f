import type { EnglishAuctionCreate } from '@dutch/contract';
import type { EnglishDraft } from '@dutch/domain';
import { type AuctionFormValues, parseNumber, timesFromForm } from './auction-form.ts';

/** The English draft the domain validates: the same object the server will check. */
export function englishDraftFromForm(values: AuctionFormValues): EnglishDraft {
  return {
    title: values.title,
    description: values.description,
    startPrice: parseNumber(values.startPrice),
    minIncrement: parseNumber(values.minIncrement),
    reservePrice: values.reservePrice.trim() === '' ? null : parseNumber(values.reservePrice),
    ...timesFromForm(values),
    extendSeconds: values.extendSeconds.trim() === '' ? 0 : parseNumber(values.extendSeconds),
  };
}

/** The body of POST /auctions for a valid English draft. */
export function englishRequestFromDraft(draft: EnglishDraft): EnglishAuctionCreate {
  return {
    format: 'english',
    title: draft.title.trim(),
    ...(draft.description.trim() === '' ? {} : { description: draft.description.trim() }),
    startPrice: draft.startPrice,
    minIncrement: draft.minIncrement,
    ...(draft.reservePrice === null ? {} : { reservePrice: draft.reservePrice }),
    startsAt: new Date(draft.startsAt).toISOString(),
    endsAt: new Date(draft.endsAt).toISOString(),
    extendSeconds: draft.extendSeconds,
  };
}

const PRICE_FIELDS = new Set(['startPrice', 'minIncrement']);

/** Whether the increments can be previewed: only the start price and the increment decide them. */
export function areIncrementsDrawable(violations: readonly { readonly field: string }[]): boolean {
  return violations.every((v) => !PRICE_FIELDS.has(v.field));
}
