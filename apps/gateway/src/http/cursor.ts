import { MAX_PRICE } from '@dutch/domain';
import { z } from 'zod';
import { ApiError } from '../api-error.ts';

/** Cursors are opaque to clients: base64url JSON that only this gateway reads back. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: not ours
  }
  throw invalidCursor();
}

export function invalidCursor(): ApiError {
  return new ApiError('INVALID_REQUEST', 'cursor: not a cursor this list returned in nextCursor', [
    { field: 'cursor', rule: 'cursor_valid', message: 'not a cursor this list returned in nextCursor' },
  ]);
}

/** The last instant an ISO date with a four-digit year can name (what startsAt accepts). */
const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A number a cursor carries (epoch ms, or a price): a whole number no larger than the last
 * instant this API can express. Anything else (a fraction, 1e300, a time past year 9999) is a
 * cursor no list issued, and must be refused as such rather than reach Date or SQL.
 */
export const cursorNumber = z.number().int().min(0).max(MAX_INSTANT);

/** The largest price (an int4 column, and MAX_PRICE in the domain): a price key past it is forged. */
export const cursorPrice = z.number().int().min(0).max(MAX_PRICE);

/** How long a list snapshot stays pageable, and the clock skew tolerated between gateways. */
export const CURSOR_MAX_AGE_MS = 24 * 3_600_000;
const CURSOR_SKEW_MS = 60_000;

/**
 * Whether a cursor's pinned instant is one a list issued: not in the future (beyond skew) and
 * not older than CURSOR_MAX_AGE_MS. The SQL turns (asOf - startsAt) / interval into an int
 * price step; an instant far from now, which no page ever had, would overflow it.
 */
export function isIssuedInstant(asOf: number, now: number): boolean {
  return asOf <= now + CURSOR_SKEW_MS && asOf >= now - CURSOR_MAX_AGE_MS;
}
