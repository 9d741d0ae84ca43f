import { errors, MarkRead, NotificationList, NotificationListQuery, UnreadCount } from '@dutch/contract';
import { countUnread, findNotificationPage, markNotificationsRead } from '@dutch/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { ApiError } from '../api-error.ts';
import { type AppContext, memberIdOf } from '../app-context.ts';
import { requireMember } from '../auth/authenticate.ts';
import type { HonoEnv } from '../hono-env.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { notificationView } from '../views/notification-view.ts';
import { bearer, json, jsonResponse, router } from './router.ts';

type Router = OpenAPIHono<HonoEnv>;
type Guard = ReturnType<typeof requireMember>;

/** A page ends at a notification; the next page is the ones after it in the list's (delivery) order. */
const Cursor = z.object({ before: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/** The caller's inbox, mounted under /members. */
export function notificationRoutes(ctx: AppContext) {
  const app = router();
  const auth = requireMember(ctx.tokens);
  addListRoute(app, ctx, auth);
  addMarkReadRoute(app, ctx, auth);
  return app;
}

function addListRoute(app: Router, ctx: AppContext, auth: Guard): void {
  const route = createRoute({
    method: 'get',
    path: '/me/notifications',
    tags: ['Notifications'],
    summary: "The caller's notifications, newest first, with the number still unread",
    description:
      '`unread=true` lists only unread ones. Newest first in delivery order (the order the member stream sends ' +
      'them in, reversed), which is not always numeric id order: ids are opaque strings (int8). `message` is ' +
      'worded from `kind` and `data`; `data` has the fields it uses.',
    security: bearer,
    middleware: [auth] as const,
    request: { query: NotificationListQuery },
    responses: { 200: jsonResponse(NotificationList, 'A page of notifications'), ...errors(400, 401) },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const limit = query.limit ?? 20;
    const beforeId = query.cursor === undefined ? null : decodeCursor(query.cursor, Cursor).before;
    const memberId = memberIdOf(c);
    const [rows, unreadCount] = await Promise.all([
      findNotificationPage(ctx.db, memberId, { unread: query.unread ?? false, limit, beforeId }),
      countUnread(ctx.db, memberId),
    ]);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = rows.length > limit && last !== undefined ? encodeCursor({ before: last.id }) : null;
    return c.json({ items: page.map(notificationView), nextCursor, unreadCount }, 200);
  });
}

function addMarkReadRoute(app: Router, ctx: AppContext, auth: Guard): void {
  const route = createRoute({
    method: 'post',
    path: '/me/notifications/read',
    tags: ['Notifications'],
    summary: "Mark the caller's notifications read, up to and including the id `upTo`",
    description:
      'Notifications above `upTo` in the list (newer) stay unread: mark up to the newest one you showed. An id that is not one ' +
      "of the caller's notifications is a 404 and marks nothing. Marking again changes nothing.",
    security: bearer,
    middleware: [auth] as const,
    request: { body: json(MarkRead) },
    responses: { 200: jsonResponse(UnreadCount, 'The unread count after marking'), ...errors(400, 401, 404, 413, 415) },
  });
  app.openapi(route, async (c) => {
    const upTo = Number(c.req.valid('json').upTo);
    const marked = await markNotificationsRead(ctx.db, memberIdOf(c), upTo);
    if (!marked.owned) throw new ApiError('NOT_FOUND', 'No such notification.');
    return c.json({ unreadCount: marked.unreadCount }, 200);
  });
}
