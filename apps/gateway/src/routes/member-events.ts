import { errors, LAST_EVENT_ID, LastEventIdParameter, type Notification } from '@dutch/contract';
import { findLatestNotificationId } from '@dutch/db';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { ApiError } from '../api-error.ts';
import { type AppContext, memberIdOf } from '../app-context.ts';
import { requireMember } from '../auth/authenticate.ts';
import type { HonoEnv } from '../hono-env.ts';
import type { OpenConnections } from '../live/connections.ts';
import { bearer, router } from './router.ts';
import { claimConnection } from './stream-slot.ts';

/** The member's own notification stream, mounted under /members. */
export function memberEventRoutes(ctx: AppContext, connections: OpenConnections) {
  const app = router();
  const route = createRoute({
    method: 'get',
    path: '/me/events',
    tags: ['Notifications'],
    summary: "The caller's new notifications as they are stored (Server-Sent Events)",
    description:
      'Event `notification` (data: the notification, as in the list), its SSE id the notification id. The token goes ' +
      'in the Authorization header only: a URL with a query string (a token there would be logged by proxies) is ' +
      'refused with 400 and nothing in it is used. With Last-Event-ID, every notification stored after that id is ' +
      'sent first, oldest first, then new ones as they come; without it, the stream starts after the newest one ' +
      'stored when it opens (list GET /members/me/notifications for those). A comment `: connected` is sent once ' +
      'the stream follows the inbox, then a comment every 15 s. Each client address may hold ' +
      'SSE_MAX_CONNECTIONS_PER_CLIENT streams at once (shared with the auction feeds).',
    security: bearer,
    middleware: [refuseQueryString, requireMember(ctx.tokens)] as const,
    parameters: [LastEventIdParameter],
    responses: {
      200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...errors(400, 401, 429),
    },
  });
  app.openapi(route, async (c) => {
    const resumeAfter = lastEventIdOf(c);
    const release = claimConnection(c, ctx, connections);
    try {
      return await openInbox(c, ctx, connections, resumeAfter, release);
    } catch (error) {
      release();
      throw error;
    }
  });
  return app;
}

const CREDENTIAL_NAMES = /^(token|access_token|accesstoken|auth|authorization|bearer|api_key|apikey|key)$/i;

/**
 * Nothing in this URL is read: a token sent there (where logs, proxies and browser history keep
 * it) is refused before authentication, never used, and the message says where it goes.
 */
const refuseQueryString = createMiddleware<HonoEnv>(async (c, next) => {
  const params = [...new URL(c.req.url).searchParams];
  if (params.length === 0) return next();
  const tokenLike = params.some(([name, value]) => CREDENTIAL_NAMES.test(name) || value.startsWith('dat_'));
  const message = tokenLike
    ? 'send the token in the Authorization header (Authorization: Bearer <token>), never in a URL'
    : 'is not a known field (this stream takes no query parameters)';
  const violations = params.map(([name]) => ({ field: name, rule: 'no_query', message }));
  throw new ApiError('INVALID_REQUEST', `${violations.map((v) => v.field).join(', ')}: ${message}`, violations);
});

/** Where to resume: the Last-Event-ID header (a notification id, or 0 for everything), or null without one. */
function lastEventIdOf(c: Context<HonoEnv>): string | null {
  const header = c.req.header('last-event-id')?.trim();
  if (header === undefined || header === '') return null;
  if (LAST_EVENT_ID.test(header) && Number(header) <= Number.MAX_SAFE_INTEGER) return header;
  const message = 'must be the id of a notification this stream sent';
  throw new ApiError('INVALID_REQUEST', `Last-Event-ID: ${message}`, [
    { field: 'Last-Event-ID', rule: 'notification_id', message },
  ]);
}

/**
 * Where a fresh stream (no Last-Event-ID) starts: after the newest notification stored when it
 * opens (null: the inbox is empty, so anything that comes is new).
 */
async function newestIdOf(ctx: AppContext, memberId: string): Promise<string | null> {
  const newest = await findLatestNotificationId(ctx.db, memberId);
  return newest === null ? null : String(newest);
}

async function openInbox(
  c: Context<HonoEnv>,
  ctx: AppContext,
  connections: OpenConnections,
  resumeAfter: string | null,
  release: () => void,
) {
  const memberId = memberIdOf(c);
  const afterId = resumeAfter ?? (await newestIdOf(ctx, memberId));
  c.header('Cache-Control', 'no-store');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    try {
      await follow(ctx, connections, stream, memberId, afterId);
    } finally {
      release();
    }
  });
}

/** Follows the inbox from `afterId` until the client leaves, a read fails or the gateway stops. */
async function follow(
  ctx: AppContext,
  connections: OpenConnections,
  stream: SSEStreamingApi,
  memberId: string,
  afterId: string | null,
) {
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const send = async (notification: Notification) => {
    if (stream.aborted || stream.closed) return false;
    try {
      await stream.writeSSE({ event: 'notification', id: notification.id, data: JSON.stringify(notification) });
      return true;
    } catch {
      return false;
    }
  };
  const unsubscribe = ctx.memberFeeds.subscribe(memberId, afterId, send, done);
  // After the registration: from here on no notify for this member is missed (tests wait for it).
  await stream.write(': connected\n\n').catch(() => {});
  const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n').catch(() => {}), ctx.config.sseHeartbeatMs);
  const forget = connections.add(done);
  stream.onAbort(done);
  await finished;
  clearInterval(heartbeat);
  unsubscribe();
  forget();
}
