import { NOTIFICATION_KINDS } from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { cursor, instant, limit, uuid } from './common.ts';

/**
 * A notification id. Ids are int8 in Postgres, which a JSON number cannot hold exactly in
 * general, so they travel as decimal strings (clients keep them opaque); a request may send one
 * as a string or as an integer. Ids are issued one by one, far below 2^53, so a larger one names
 * no notification and is refused before it reaches SQL.
 */
export const NotificationId = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a notification id (a positive whole number, as a string)')
  .refine((value) => Number(value) <= Number.MAX_SAFE_INTEGER, 'is larger than any notification id')
  .openapi({ example: '42' });

export const Notification = z
  .object({
    id: NotificationId.openapi({
      description: 'Opaque (an int8 as a string); also the SSE event id. Lists are in delivery order, not numeric.',
    }),
    kind: z.enum(NOTIFICATION_KINDS),
    auctionId: uuid,
    receiptId: uuid.optional().openapi({ description: 'For receipt and rebate notifications.' }),
    message: z.string().openapi({ description: 'What happened, in words (derived from kind and data).' }),
    data: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .openapi({ description: 'What the message says, as fields (title, status, unitPrice, ...).' }),
    createdAt: instant,
    readAt: instant.nullable(),
  })
  .openapi('Notification');

export const NotificationListQuery = z.strictObject({
  unread: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({ param: { name: 'unread', in: 'query' }, description: 'true: only unread ones.' }),
  limit,
  cursor,
});

export const NotificationList = z
  .object({
    items: z.array(Notification),
    nextCursor: z.string().nullable(),
    unreadCount: z.number().int().openapi({ description: "The member's unread notifications, all pages." }),
  })
  .openapi('NotificationList');

export const MarkRead = z
  .strictObject({
    upTo: z.union([NotificationId, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).transform(String)]).openapi({
      description:
        "Marks read the caller's notifications up to this one in delivery order (it and those below it in the list).",
    }),
  })
  .openapi('MarkRead');

/** A Last-Event-ID the member stream takes: a notification id, or 0 for the whole inbox. */
export const LAST_EVENT_ID = /^(0|[1-9][0-9]{0,15})$/;

/** The Last-Event-ID header of the member stream, for the OpenAPI document (read by hand by the route). */
export const LastEventIdParameter = {
  name: 'Last-Event-ID',
  in: 'header' as const,
  required: false,
  description:
    'The id of the last notification received: the stream first sends every one after it (0: the whole inbox).',
  schema: { type: 'string' as const, pattern: LAST_EVENT_ID.source },
};

export const UnreadCount = z.object({ unreadCount: z.number().int() }).openapi('UnreadCount');

export type Notification = z.infer<typeof Notification>;
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;
export type NotificationList = z.infer<typeof NotificationList>;
export type MarkRead = z.infer<typeof MarkRead>;
export type UnreadCount = z.infer<typeof UnreadCount>;
