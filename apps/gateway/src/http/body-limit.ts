import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../api-error.ts';
import type { HonoEnv } from '../hono-env.ts';

const tooLarge = () => new ApiError('PAYLOAD_TOO_LARGE', 'The request body is larger than 64 KB.');

/**
 * Refuses bodies over maxBytes with 413. A body that declares its length (every JSON client
 * here) is judged by that header alone: touching the request body stream would make
 * @hono/node-server build a full web Request, its slowest path. A body without a length
 * (chunked) is counted as it is read.
 */
export function limitBody(maxBytes: number) {
  const counting = bodyLimit({ maxSize: maxBytes, onError: () => Promise.reject(tooLarge()) });
  return createMiddleware<HonoEnv>(async (c, next) => {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > maxBytes) throw tooLarge();
      return next();
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return counting(c, next);
  });
}
