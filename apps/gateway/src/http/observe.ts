import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { Logger } from 'pino';
import type { HonoEnv } from '../hono-env.ts';
import { type GatewayMetrics, requestRecorder } from './metrics.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's X-Request-Id when it is sane (to follow a request across systems), else a new one. */
export function requestIdOf(incoming: string | undefined): string {
  return incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The headers every answer carries: its request id, and no content sniffing. */
export const responseHeaders = (requestId: string) => ({
  'x-request-id': requestId,
  'x-content-type-options': 'nosniff',
});

/**
 * Request id (kept from X-Request-Id when sane), metrics by route pattern, and one
 * structured log line per request. Authorization headers and tokens are never logged.
 */
export function observe(metrics: GatewayMetrics, logger: Logger, logRequests: boolean) {
  const record = requestRecorder(metrics);
  return createMiddleware<HonoEnv>(async (c, next) => {
    const started = performance.now();
    const requestId = requestIdOf(c.req.header('x-request-id'));
    c.set('requestId', requestId);
    // Set before the response exists: a header added afterwards makes @hono/node-server rebuild
    // the response off its fast path (about a tenth of a bid's CPU).
    for (const [name, value] of Object.entries(responseHeaders(requestId))) c.header(name, value);
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      record(c.req.method, c.req.routePath, c.res.status, seconds);
      if (logRequests) {
        logger.info(
          {
            requestId,
            method: c.req.method,
            path: c.req.path,
            route: c.req.routePath,
            status: c.res.status,
            ms: Math.round(seconds * 1e4) / 10,
            member: c.get('member')?.id,
          },
          'request',
        );
      }
    }
  });
}
