import {
  AUCTION_STATUSES,
  FAILURE_REASONS,
  MAX_AGE,
  MAX_CHARGE,
  MAX_PRICE,
  MAX_STOCK,
  RECEIPT_STATUSES,
} from '@dutch/domain';
import { z } from '@hono/zod-openapi';

/**
 * Request and response shapes: zod validates them, and the OpenAPI document at
 * /openapi.json is generated from these same schemas. Types and ranges live here; the
 * auction rules (duration, schedule, limits) are the domain's and are checked there.
 */
const int = (min: number, max: number) => z.number().int().min(min).max(max);
/** Instants to the millisecond at most: finer digits would be dropped before the rules see them. */
const instant = z.iso
  .datetime({ offset: true, precision: undefined })
  .refine((value) => !/\.\d{4,}/.test(value), 'must not be more precise than a millisecond')
  .openapi({ example: '2030-01-01T12:00:00.000Z' });
const uuid = z.uuid();
/**
 * Text stored as given or refused: PostgreSQL text cannot hold NUL (it would be a 500), and an
 * unpaired UTF-16 surrogate cannot be encoded (it would be stored as U+FFFD, not as sent).
 */
const text = () =>
  z
    .string()
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
    .refine(
      (value) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value),
      'must be well-formed Unicode (no unpaired surrogates)',
    );

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'INVALID_REQUEST' }),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

export const IdParam = z.object({ id: uuid.openapi({ param: { name: 'id', in: 'path' } }) });

export const MemberCreate = z
  .strictObject({
    name: text().trim().min(1).max(100),
    age: int(0, MAX_AGE).optional(),
    gender: z.enum(['female', 'male', 'other']).optional(),
  })
  .openapi('MemberCreate');

export const Member = z
  .object({
    id: uuid,
    name: z.string(),
    points: z.number().int(),
    age: z.number().int().nullable(),
    gender: z.enum(['female', 'male', 'other']).nullable(),
  })
  .openapi('Member');

export const MemberCreated = Member.extend({
  token: z.string().openapi({ description: 'Shown once. Send it as `Authorization: Bearer <token>`.' }),
}).openapi('MemberCreated');

export const Charge = z.strictObject({ amount: int(1, MAX_CHARGE) }).openapi('Charge');
export const Points = z.object({ points: z.number().int() }).openapi('Points');
export const TokenIssued = z.object({ token: z.string() }).openapi('TokenIssued');

export const PriceDrop = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('constant'), amount: int(1, MAX_PRICE) }),
    z.strictObject({ kind: z.literal('percentage'), percent: int(1, 50) }),
  ])
  .openapi('PriceDrop');

const auctionFields = {
  title: text().max(200),
  description: text().max(10_000).optional(),
  startPrice: int(1, MAX_PRICE),
  floorPrice: int(1, MAX_PRICE).nullable().optional(),
  priceDrop: PriceDrop,
  dropIntervalSeconds: int(1, 3600),
  startsAt: instant,
  endsAt: instant,
  stock: int(1, MAX_STOCK),
  perBuyerLimit: int(1, MAX_STOCK),
  showStock: z.boolean().optional(),
};

export const AuctionCreate = z.strictObject(auctionFields).openapi('AuctionCreate');
export const AuctionPatch = z
  .strictObject(
    Object.fromEntries(Object.entries(auctionFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof auctionFields]: z.ZodOptional<(typeof auctionFields)[K]>;
    },
  )
  .openapi('AuctionPatch');

export const AuctionView = z
  .object({
    id: uuid,
    sellerId: uuid,
    title: z.string(),
    description: z.string(),
    startPrice: z.number().int(),
    floorPrice: z.number().int().nullable(),
    priceDrop: PriceDrop,
    dropIntervalSeconds: z.number().int(),
    startsAt: instant,
    endsAt: instant,
    status: z.enum(AUCTION_STATUSES),
    currentPrice: z.number().int(),
    nextPrice: z.number().int().nullable(),
    nextDropAt: instant.nullable(),
    stock: z.number().int().optional(),
    initialStock: z.number().int().optional(),
    soldCount: z.number().int().optional(),
    perBuyerLimit: z.number().int(),
    showStock: z.boolean(),
    createdAt: instant,
    serverTime: instant,
  })
  .openapi('Auction');

const limit = z
  .string()
  .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
  .transform(Number)
  .pipe(z.number().int().min(1).max(100))
  .optional()
  .openapi({ param: { name: 'limit', in: 'query' }, example: '20' });
const cursor = z
  .string()
  .max(512)
  .optional()
  .openapi({ param: { name: 'cursor', in: 'query' } });

export const AuctionListQuery = z.strictObject({
  status: z.enum(AUCTION_STATUSES).optional(),
  sort: z.enum(['startsAt', '-startsAt', 'currentPrice', '-currentPrice']).optional(),
  limit,
  cursor,
});

export const AuctionList = z
  .object({ items: z.array(AuctionView), nextCursor: z.string().nullable() })
  .openapi('AuctionList');

export const BidCreate = z
  .strictObject({ quantity: int(1, MAX_STOCK), maxPrice: int(1, Number.MAX_SAFE_INTEGER) })
  .openapi('BidCreate');

export const BidAccepted = z
  .object({
    receiptId: uuid,
    status: z.literal('PENDING'),
    acceptedAt: instant,
    unitPrice: z.number().int(),
  })
  .openapi('BidAccepted');

/** 1-255 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The Idempotency-Key header, for the OpenAPI document. It is read by hand on the bid path: a
 * zod header validator would make @hono/node-server build a full Headers object per request.
 */
export const IdempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description: 'The same key from the same buyer within 24 h returns the same receipt, and queues no second bid.',
  schema: { type: 'string' as const, pattern: '^[\\x21-\\x7e]{1,255}$' },
};

export const Receipt = z
  .object({
    id: uuid,
    auctionId: uuid,
    buyerId: uuid,
    sellerId: uuid,
    quantity: z.number().int(),
    unitPrice: z.number().int(),
    total: z.number().int(),
    status: z.enum(RECEIPT_STATUSES),
    failureReason: z.enum(FAILURE_REASONS).optional(),
    duplicateOf: uuid.optional().openapi({
      description: 'With failureReason DUPLICATE_REQUEST: the first receipt for the same Idempotency-Key.',
    }),
    acceptedAt: instant,
    settledAt: instant.optional(),
    refundedAt: instant.optional(),
  })
  .openapi('Receipt');

export const ReceiptListQuery = z.strictObject({
  status: z.enum(RECEIPT_STATUSES).optional(),
  limit,
  cursor,
});

export const ReceiptList = z
  .object({ items: z.array(Receipt), nextCursor: z.string().nullable() })
  .openapi('ReceiptList');

export const RefundAccepted = z
  .object({ receiptId: uuid, status: z.literal('REFUND_PENDING') })
  .openapi('RefundAccepted');

/** Standard error responses, for the OpenAPI document. */
export function errors(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503)[]) {
  const descriptions: Record<number, string> = {
    400: 'INVALID_REQUEST: malformed JSON, wrong types, out-of-range values, broken rules',
    401: 'UNAUTHENTICATED: missing, malformed or revoked token',
    403: "FORBIDDEN: someone else's resource",
    404: 'NOT_FOUND',
    409: 'A business rule refused the request (see the code)',
    413: 'PAYLOAD_TOO_LARGE: body over 64 KB',
    415: 'UNSUPPORTED_MEDIA_TYPE: send application/json',
    429: 'RATE_LIMITED: too many bids, or too many live streams from one address; see Retry-After',
    503: 'SERVICE_UNAVAILABLE: a backing service is down; retry',
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: descriptions[status] as string, content: { 'application/json': { schema: ErrorBody } } },
    ]),
  );
}
