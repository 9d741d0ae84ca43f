import { describeFailure, FAILURE_REASONS, type FailureReason, type ReceiptStatus } from '@dutch/domain';
import { ApiError } from '../api/http.ts';

/** Any error, as a sentence a buyer can act on: the API's own message when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong on this page. Reload it and try again.';
}

/** A receipt's failureReason code in plain words; null when there is none. */
export function describeReceiptFailure(code: string | undefined): string | null {
  if (code === undefined) return null;
  if ((FAILURE_REASONS as readonly string[]).includes(code)) return describeFailure(code as FailureReason);
  return `The engine refused this with code ${code}.`;
}

const STATUS_WORDS: Record<ReceiptStatus, string> = {
  PENDING: 'Pending: waiting for the engine to settle it',
  PURCHASED: 'Purchased',
  FAILED: 'Failed',
  REFUND_PENDING: 'Refund pending',
  REFUNDED: 'Refunded',
  LEADING: 'Leading: the high bid',
  OUTBID: 'Outbid',
  WON: 'Won',
  RESERVE_NOT_MET: 'Not sold: below the reserve',
};

export function describeReceiptStatus(status: ReceiptStatus): string {
  return STATUS_WORDS[status] ?? status;
}

/** The API names fields as code does; people read the form's labels. */
const FIELD_WORDS: readonly (readonly [RegExp, string])[] = [
  [/endsAt - startsAt/g, 'the duration'],
  [/\bstartPrice\b/g, 'the start price'],
  [/\bfloorPrice\b/g, 'floor price'],
  [/\bmaxPrice\b/g, 'your max price'],
  [/\bperBuyerLimit\b/g, 'the per-buyer limit'],
  [/\bstartsAt\b/g, 'the start'],
  [/\bendsAt\b/g, 'the end'],
];

/**
 * A domain violation as a sentence about a form field: "must not be empty" under "Title"
 * becomes "Title must not be empty."
 */
export function describeViolation(label: string, message: string): string {
  let text = message;
  for (const [pattern, words] of FIELD_WORDS) text = text.replace(pattern, words);
  const sentence = /^(must|is|should)\b/.test(text) ? `${label} ${text}` : text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
