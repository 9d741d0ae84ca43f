import type { Context } from 'hono';
import { ApiError } from '../api-error.ts';
import type { AppContext } from '../app-context.ts';
import type { HonoEnv } from '../hono-env.ts';
import { clientAddressOf } from '../http/client-address.ts';
import type { OpenConnections } from '../live/connections.ts';

/**
 * Takes one of the client address's live-stream slots, or refuses with 429. Auction feeds and
 * members' notification streams share the SSE_MAX_CONNECTIONS_PER_CLIENT slots of an address.
 */
export function claimConnection(c: Context<HonoEnv>, ctx: AppContext, connections: OpenConnections): () => void {
  const limit = ctx.config.sseMaxConnectionsPerClient;
  const release = connections.claim(clientAddressOf(c), limit);
  if (release !== null) return release;
  throw new ApiError(
    'RATE_LIMITED',
    `Too many live streams from your address (at most ${limit}); close one and retry.`,
    undefined,
    { 'Retry-After': '5' },
  );
}
