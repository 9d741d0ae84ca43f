/**
 * Every refusal the engine can give, as a tagged union on `code`.
 * The gateway maps codes to HTTP statuses in one place; the domain only names them.
 */
export type RequestErrorCode =
  | 'INVALID_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE';

export type BusinessErrorCode =
  | 'AUCTION_NOT_RUNNING'
  | 'SOLD_OUT'
  | 'PRICE_ABOVE_MAX'
  | 'OWN_AUCTION'
  | 'INSUFFICIENT_POINTS'
  | 'AUCTION_ALREADY_STARTED'
  | 'AUCTION_NOT_ENDED'
  | 'NOT_REFUNDABLE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'BID_TOO_LOW';

export type ErrorCode = RequestErrorCode | BusinessErrorCode;

/** Why a settled bid or refund did not go through; stored on the receipt. */
export type FailureReason =
  | 'SOLD_OUT'
  | 'INSUFFICIENT_POINTS'
  | 'BUYER_LIMIT_EXCEEDED'
  | 'AUCTION_NOT_RUNNING'
  | 'SELLER_INSUFFICIENT_POINTS'
  | 'PROCESSING_FAILED'
  | 'DUPLICATE_REQUEST'
  | 'BID_TOO_LOW';

export const FAILURE_REASONS: readonly FailureReason[] = [
  'SOLD_OUT',
  'INSUFFICIENT_POINTS',
  'BUYER_LIMIT_EXCEEDED',
  'AUCTION_NOT_RUNNING',
  'SELLER_INSUFFICIENT_POINTS',
  'PROCESSING_FAILED',
  'DUPLICATE_REQUEST',
  'BID_TOO_LOW',
];

/** One broken rule of a request: which field, which rule, in words. */
export interface Violation {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

export type DomainError =
  | { readonly code: 'INVALID_REQUEST'; readonly message: string; readonly violations: readonly Violation[] }
  | { readonly code: Exclude<ErrorCode, 'INVALID_REQUEST'>; readonly message: string };

export type Result<T, E = DomainError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

export function refuse(code: Exclude<ErrorCode, 'INVALID_REQUEST'>, message: string): DomainError {
  return { code, message };
}

export function invalid(violations: readonly Violation[]): DomainError {
  const message = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
  return { code: 'INVALID_REQUEST', message, violations };
}

/** Plain-words text for a failure reason, for receipts shown to people. */
export function describeFailure(reason: FailureReason): string {
  switch (reason) {
    case 'SOLD_OUT':
      return 'Not enough stock was left when your bid was settled.';
    case 'INSUFFICIENT_POINTS':
      return 'You did not have enough points to pay for this bid.';
    case 'BUYER_LIMIT_EXCEEDED':
      return 'This bid would take you over the per-buyer limit for this auction.';
    case 'AUCTION_NOT_RUNNING':
      return 'The auction was not running at the moment your bid was accepted.';
    case 'SELLER_INSUFFICIENT_POINTS':
      return 'The seller does not have enough points to pay the refund back yet.';
    case 'PROCESSING_FAILED':
      return 'The engine could not process this request after several attempts.';
    case 'DUPLICATE_REQUEST':
      return 'This was a retry of a request you had already made (same Idempotency-Key); see the first receipt.';
    case 'BID_TOO_LOW':
      return 'Another bid had already raised the price: your amount was below the minimum next bid.';
  }
}
