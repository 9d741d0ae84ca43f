import { MAX_BODY_BYTES } from '@dutch/domain';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError, TOO_LARGE_MESSAGE } from '../api-error.ts';
import type { HonoEnv } from '../hono-env.ts';

const tooLarge = () => new ApiError('PAYLOAD_TOO_LARGE', TOO_LARGE_MESSAGE);

/**
 * Refuses bodies over the domain's MAX_BODY_BYTES with 413. A body that declares its length (every JSON client
 * here) is judged by that header alone: touching the request body stream would make
 * @hono/node-server build a full web Request, its slowest path. A body without a length
 * (chunked) is counted as it is read.
 */
/** The body's declared length; null when it declares none or comes chunked (then only counting tells). */
export function declaredLength(c: Context): number | null {
  const length = c.req.header('content-length');
  return length === undefined || c.req.header('transfer-encoding') !== undefined ? null : Number(length);
}

export function limitBody() {
  const counting = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => Promise.reject(tooLarge()) });
  return createMiddleware<HonoEnv>(async (c, next) => {
    const length = declaredLength(c);
    if (length !== null) {
      if (length > MAX_BODY_BYTES) throw tooLarge();
      return next();
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return counting(c, next);
  });
}
