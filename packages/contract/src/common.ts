import { MAX_BODY_BYTES } from '@dutch/domain';
import { z } from '@hono/zod-openapi';

/**
 * Building blocks of every resource's shapes. Types and ranges live in the contract; the
 * auction rules (duration, schedule, limits) are the domain's and are checked there.
 */
export const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** Instants to the millisecond at most: finer digits would be dropped before the rules see them. */
export const instant = z.iso
  .datetime({ offset: true, precision: undefined })
  .refine((value) => !/\.\d{4,}/.test(value), 'must not be more precise than a millisecond')
  .openapi({ example: '2030-01-01T12:00:00.000Z' });

export const uuid = z.uuid();

/**
 * Text stored as given or refused: PostgreSQL text cannot hold NUL (it would be a 500), and an
 * unpaired UTF-16 surrogate cannot be encoded (it would be stored as U+FFFD, not as sent).
 */
export const text = () =>
  z
    .string()
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
    .refine(
      (value) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value),
      'must be well-formed Unicode (no unpaired surrogates)',
    );

/** Every field optional: a PATCH changes any subset, validated as a whole after merging. */
export function optionalAll<T extends Record<string, z.ZodType>>(fields: T) {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof T]: z.ZodOptional<T[K]>;
  };
}

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'INVALID_REQUEST' }),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof ErrorBody>;

export const IdParam = z.object({ id: uuid.openapi({ param: { name: 'id', in: 'path' } }) });

/** Query parameters shared by every paged list. */
export const limit = z
  .string()
  .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
  .transform(Number)
  .pipe(z.number().int().min(1).max(100))
  .optional()
  .openapi({ param: { name: 'limit', in: 'query' }, example: '20' });

export const cursor = z
  .string()
  .max(512)
  .optional()
  .openapi({ param: { name: 'cursor', in: 'query' } });

/** One page of a list: its items and the cursor of the next page, if any. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'INVALID_REQUEST: malformed JSON, wrong types, out-of-range values, broken rules',
  401: 'UNAUTHENTICATED: missing, malformed or revoked token',
  403: "FORBIDDEN: someone else's resource",
  404: 'NOT_FOUND',
  409: 'A business rule refused the request (see the code)',
  413: `PAYLOAD_TOO_LARGE: body over ${MAX_BODY_BYTES / 1024} KB`,
  415: 'UNSUPPORTED_MEDIA_TYPE: send application/json',
  429: 'RATE_LIMITED: too many bids, or too many live streams from one address; see Retry-After',
  503: 'SERVICE_UNAVAILABLE: a backing service is down; retry',
};

/** Standard error responses, for the OpenAPI document. */
export function errors(...statuses: ErrorStatus[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: ErrorBody } } },
    ]),
  );
}
