import type { DutchAuctionCreate } from '@dutch/contract';
import type { AuctionDraft, AuctionFormat, Millis, Pricing, Violation } from '@dutch/domain';
import { fromDateTimeLocal, toDateTimeLocal } from './format.ts';

export type DropKind = 'constant' | 'percentage';
export type EndMode = 'duration' | 'endsAt';

/** The create-auction form as typed: strings, exactly as the inputs hold them. */
export interface AuctionFormValues {
  readonly format: AuctionFormat;
  readonly title: string;
  readonly description: string;
  readonly startPrice: string;
  readonly floorPrice: string;
  readonly dropKind: DropKind;
  readonly dropAmount: string;
  readonly dropPercent: string;
  readonly dropIntervalSeconds: string;
  /** datetime-local, in the seller's local time. */
  readonly startsAt: string;
  readonly endMode: EndMode;
  readonly durationSeconds: string;
  readonly endsAt: string;
  readonly stock: string;
  readonly perBuyerLimit: string;
  readonly showStock: boolean;
  /** Dutch only: what buyers finally pay. */
  readonly pricing: Pricing;
  /** English only. */
  readonly minIncrement: string;
  readonly reservePrice: string;
  readonly extendSeconds: string;
}

export type FormField = keyof AuctionFormValues;

const DEFAULT_DURATION_SECONDS = 600;

/** A sensible auction to start from: ten minutes, a drop a minute, starting a minute from now. */
export function defaultFormValues(now: Millis): AuctionFormValues {
  const startsAt = Math.ceil((now + 60_000) / 1000) * 1000;
  return {
    format: 'dutch',
    title: '',
    description: '',
    startPrice: '1000',
    floorPrice: '',
    dropKind: 'constant',
    dropAmount: '50',
    dropPercent: '10',
    dropIntervalSeconds: '60',
    startsAt: toDateTimeLocal(startsAt),
    endMode: 'duration',
    durationSeconds: String(DEFAULT_DURATION_SECONDS),
    endsAt: toDateTimeLocal(startsAt + DEFAULT_DURATION_SECONDS * 1000),
    stock: '10',
    perBuyerLimit: '2',
    showStock: true,
    pricing: 'pay_as_bid',
    minIncrement: '10',
    reservePrice: '',
    extendSeconds: '30',
  };
}

/** A blank stays NaN rather than 0, so validation says "must be a whole number", not "must be positive". */
export function parseNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** Start and end as instants, whichever way the end was given: both formats share these inputs. */
export function timesFromForm(values: Pick<AuctionFormValues, 'startsAt' | 'endMode' | 'durationSeconds' | 'endsAt'>): {
  startsAt: Millis;
  endsAt: Millis;
} {
  const startsAt = fromDateTimeLocal(values.startsAt);
  const endsAt =
    values.endMode === 'duration'
      ? startsAt + parseNumber(values.durationSeconds) * 1000
      : fromDateTimeLocal(values.endsAt);
  return { startsAt, endsAt };
}

/** The Dutch draft the domain validates and prices: the same object the server will check. */
export function draftFromForm(values: AuctionFormValues): AuctionDraft {
  const { startsAt, endsAt } = timesFromForm(values);
  return {
    title: values.title,
    description: values.description,
    startPrice: parseNumber(values.startPrice),
    floorPrice: values.floorPrice.trim() === '' ? null : parseNumber(values.floorPrice),
    priceDrop:
      values.dropKind === 'constant'
        ? { kind: 'constant', amount: parseNumber(values.dropAmount) }
        : { kind: 'percentage', percent: parseNumber(values.dropPercent) },
    dropIntervalSeconds: parseNumber(values.dropIntervalSeconds),
    startsAt,
    endsAt,
    stock: parseNumber(values.stock),
    perBuyerLimit: parseNumber(values.perBuyerLimit),
    showStock: values.showStock,
    pricing: values.pricing,
  };
}

/** The body of POST /auctions for a valid Dutch draft. */
export function requestFromDraft(draft: AuctionDraft): DutchAuctionCreate {
  return {
    title: draft.title.trim(),
    ...(draft.description.trim() === '' ? {} : { description: draft.description.trim() }),
    startPrice: draft.startPrice,
    ...(draft.floorPrice === null ? {} : { floorPrice: draft.floorPrice }),
    priceDrop: draft.priceDrop,
    dropIntervalSeconds: draft.dropIntervalSeconds,
    startsAt: new Date(draft.startsAt).toISOString(),
    endsAt: new Date(draft.endsAt).toISOString(),
    stock: draft.stock,
    perBuyerLimit: draft.perBuyerLimit,
    showStock: draft.showStock,
    pricing: draft.pricing,
  };
}

/** The input a violation belongs under; the API and the domain name fields by the request's keys. */
export function fieldOfViolation(field: string, values: Pick<AuctionFormValues, 'dropKind' | 'endMode'>): FormField {
  switch (field) {
    case 'priceDrop':
    case 'priceDrop.amount':
    case 'priceDrop.percent':
    case 'priceDrop.kind':
      return values.dropKind === 'constant' ? 'dropAmount' : 'dropPercent';
    case 'endsAt':
      return values.endMode === 'duration' ? 'durationSeconds' : 'endsAt';
    case 'title':
    case 'description':
    case 'startPrice':
    case 'floorPrice':
    case 'dropIntervalSeconds':
    case 'startsAt':
    case 'stock':
    case 'perBuyerLimit':
    case 'showStock':
    case 'pricing':
    case 'minIncrement':
    case 'reservePrice':
    case 'extendSeconds':
      return field;
    default:
      return 'title';
  }
}

const SCHEDULE_FIELDS = new Set(['startPrice', 'floorPrice', 'priceDrop', 'priceDrop.amount', 'priceDrop.percent']);
const SCHEDULE_TIME_FIELDS = new Set(['endsAt', 'dropIntervalSeconds']);

/**
 * Whether the schedule can be drawn despite these violations: a missing title or a start in
 * the past does not change the prices, but a bad price, drop or interval does.
 */
export function isScheduleDrawable(violations: readonly Violation[]): boolean {
  return violations.every(
    (v) => !SCHEDULE_FIELDS.has(v.field) && !SCHEDULE_TIME_FIELDS.has(v.field) && v.rule !== 'times_valid',
  );
}
