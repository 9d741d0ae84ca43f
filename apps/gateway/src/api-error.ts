import { type DomainError, type ErrorCode, MAX_BODY_BYTES, type Violation } from '@dutch/domain';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';

/** A refusal with one of the contract's codes; onError turns it into the contract's error body. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'INTERNAL_ERROR',
    message: string,
    readonly details?: readonly Violation[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    // A refusal is an answer, not a fault: nobody reads its stack, and capturing one per refused
    // bid showed in profiles. An INTERNAL_ERROR keeps its stack for the log.
    const limit = Error.stackTraceLimit;
    if (code !== 'INTERNAL_ERROR') Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'ApiError';
  }
}

/** The 413's message, whether our limit or hono's own body parser refuses the body. */
export const TOO_LARGE_MESSAGE = `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`;

export function fromDomain(error: DomainError): ApiError {
  return error.code === 'INVALID_REQUEST'
    ? new ApiError(error.code, error.message, error.violations)
    : new ApiError(error.code, error.message);
}

/**
 * The one place codes become HTTP statuses. Every business-rule refusal is a 409. A record, not a
 * switch with a default, so a new code fails to compile here instead of silently becoming a 409.
 */
const STATUS_OF: Readonly<Record<ApiError['code'], ContentfulStatusCode>> = {
  INVALID_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
  AUCTION_NOT_RUNNING: 409,
  SOLD_OUT: 409,
  PRICE_ABOVE_MAX: 409,
  OWN_AUCTION: 409,
  INSUFFICIENT_POINTS: 409,
  AUCTION_ALREADY_STARTED: 409,
  AUCTION_NOT_ENDED: 409,
  NOT_REFUNDABLE: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  BID_TOO_LOW: 409,
};

export function statusOf(code: ApiError['code']): ContentfulStatusCode {
  return STATUS_OF[code];
}

export function errorBody(code: ApiError['code'], message: string, details?: readonly Violation[]) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const HTTP_CODES: Partial<Record<number, ApiError['code']>> = {
  400: 'INVALID_REQUEST',
  401: 'UNAUTHENTICATED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  503: 'SERVICE_UNAVAILABLE',
  504: 'SERVICE_UNAVAILABLE',
};

/**
 * Postgres or Redis unreachable: the request may be retried, nothing about it was wrong.
 * drizzle wraps the driver's error (DrizzleQueryError, the original as `cause`): look through it.
 */
function isOutage(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error)) return false;
  if (depth < 3 && error.cause !== undefined && isOutage(error.cause, depth + 1)) return true;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (/^(ECONN|EPIPE|ETIMEDOUT|EHOSTUNREACH|CONNECT|CONNECTION_)/.test(code) ||
      code.startsWith('08') ||
      code.startsWith('57P') ||
      // statement_timeout (query_canceled) and lock_not_available: the database was too slow, not the request wrong.
      code === '57014' ||
      code === '55P03')
  ) {
    return true;
  }
  return /Connection is closed|max retries per request|MaxRetriesPerRequest|Stream isn't writeable|Command timed out/i.test(
    error.message,
  );
}

export function handleError(logger: Logger) {
  return (error: Error, c: Context) => {
    if (error instanceof ApiError) {
      const response = c.json(errorBody(error.code, error.message, error.details), statusOf(error.code));
      for (const [name, value] of Object.entries(error.headers ?? {})) response.headers.set(name, value);
      return response;
    }
    if (error instanceof HTTPException) {
      const code = HTTP_CODES[error.status] ?? (error.status >= 500 ? 'INTERNAL_ERROR' : 'INVALID_REQUEST');
      const message = code === 'PAYLOAD_TOO_LARGE' ? TOO_LARGE_MESSAGE : error.message || code;
      return c.json(errorBody(code, message), statusOf(code));
    }
    if (isOutage(error)) {
      logger.warn({ err: error, path: c.req.path }, 'dependency unavailable');
      const response = c.json(
        errorBody('SERVICE_UNAVAILABLE', 'A backing service is unavailable; retry shortly.'),
        503,
      );
      response.headers.set('Retry-After', '1');
      return response;
    }
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json(errorBody('INTERNAL_ERROR', 'Something went wrong on our side.'), 500);
  };
}
