import {
  type AuctionPatch,
  DutchAuctionPatch,
  type DutchAuctionPatch as DutchInput,
  EnglishAuctionPatch,
  type EnglishAuctionPatch as EnglishInput,
} from '@dutch/contract';
import type { AuctionDraft, AuctionFormat, EnglishDraft, Violation } from '@dutch/domain';
import { ApiError } from '../api-error.ts';

const instantOr = (value: string | undefined, base: number) => (value === undefined ? base : Date.parse(value));

export function mergeDutchDraft(base: AuctionDraft, input: DutchInput): AuctionDraft {
  return {
    title: input.title ?? base.title,
    description: input.description ?? base.description,
    startPrice: input.startPrice ?? base.startPrice,
    floorPrice: input.floorPrice === undefined ? base.floorPrice : input.floorPrice,
    priceDrop: input.priceDrop ?? base.priceDrop,
    dropIntervalSeconds: input.dropIntervalSeconds ?? base.dropIntervalSeconds,
    startsAt: instantOr(input.startsAt, base.startsAt),
    endsAt: instantOr(input.endsAt, base.endsAt),
    stock: input.stock ?? base.stock,
    perBuyerLimit: input.perBuyerLimit ?? base.perBuyerLimit,
    showStock: input.showStock ?? base.showStock,
    pricing: input.pricing ?? base.pricing,
  };
}

export function mergeEnglishDraft(base: EnglishDraft, input: EnglishInput): EnglishDraft {
  return {
    title: input.title ?? base.title,
    description: input.description ?? base.description,
    startPrice: input.startPrice ?? base.startPrice,
    minIncrement: input.minIncrement ?? base.minIncrement,
    // null takes a reserve away; left out keeps it.
    reservePrice: input.reservePrice === undefined ? base.reservePrice : input.reservePrice,
    startsAt: instantOr(input.startsAt, base.startsAt),
    endsAt: instantOr(input.endsAt, base.endsAt),
    extendSeconds: input.extendSeconds ?? base.extendSeconds,
  };
}

/** What POST merges a Dutch auction onto: every field comes from the request. */
export const EMPTY_DUTCH: AuctionDraft = {
  title: '',
  description: '',
  startPrice: 0,
  floorPrice: null,
  priceDrop: { kind: 'constant', amount: 0 },
  dropIntervalSeconds: 0,
  startsAt: Number.NaN,
  endsAt: Number.NaN,
  stock: 0,
  perBuyerLimit: 0,
  showStock: true,
  pricing: 'pay_as_bid',
};

/** What POST merges an English auction onto. */
export const EMPTY_ENGLISH: EnglishDraft = {
  title: '',
  description: '',
  startPrice: 0,
  minIncrement: 0,
  reservePrice: null,
  startsAt: Number.NaN,
  endsAt: Number.NaN,
  extendSeconds: 0,
};

const FIELDS: Readonly<Record<AuctionFormat, ReadonlySet<string>>> = {
  dutch: new Set(Object.keys(DutchAuctionPatch.shape)),
  english: new Set(Object.keys(EnglishAuctionPatch.shape)),
};

/**
 * A change in the auction's own format: its format cannot change, and the other format's fields
 * mean nothing here (400 naming each). Both patch shapes pass the schema; only the stored
 * auction says which one applies.
 */
export function checkPatchFormat(format: AuctionFormat, input: AuctionPatch): void {
  const violations: Violation[] = Object.keys(input).flatMap((field) => {
    if (field === 'format' && input.format !== format) {
      return [{ field, rule: 'format_unchangeable', message: `cannot change: this auction is ${format}` }];
    }
    if (FIELDS[format].has(field)) return [];
    return [
      {
        field,
        rule: 'format_mismatch',
        message: `is not a field of ${format === 'english' ? 'an English' : 'a Dutch'} auction`,
      },
    ];
  });
  if (violations.length === 0) return;
  throw new ApiError('INVALID_REQUEST', violations.map((v) => `${v.field}: ${v.message}`).join('; '), violations);
}
