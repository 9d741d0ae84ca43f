import { createMiddleware } from 'hono/factory';
import { ApiError } from '../api-error.ts';
import type { HonoEnv } from '../hono-env.ts';
import type { TokenCache } from './token-cache.ts';
import { bearerOf, parseToken, secretMatches } from './tokens.ts';

const unauthenticated = () =>
  new ApiError('UNAUTHENTICATED', 'A valid bearer token is required (Authorization: Bearer <token>).');

/** The member a request's token belongs to; throws 401 for a missing, malformed, unknown or revoked token. */
async function memberOf(header: string | undefined, tokens: TokenCache): Promise<{ id: string; tokenId: string }> {
  const credential = bearerOf(header);
  if (credential === null) throw unauthenticated();
  const parsed = parseToken(credential);
  if (parsed === null) throw unauthenticated();
  const token = await tokens.get(parsed.tokenId);
  // Compare even when the token is unknown or revoked, so timing says nothing about which.
  const matches = secretMatches(parsed.secret, token?.secretHash ?? ZERO_HASH);
  if (token === null || token.revoked || !matches) throw unauthenticated();
  return { id: token.memberId, tokenId: parsed.tokenId };
}

const ZERO_HASH = Buffer.alloc(32);

export function requireMember(tokens: TokenCache) {
  return createMiddleware<HonoEnv>(async (c, next) => {
    c.set('member', await memberOf(c.req.header('authorization'), tokens));
    await next();
  });
}

/** For public reads that show more to the right member (the seller sees stock): a bad token is still a 401. */
export function optionalMember(tokens: TokenCache) {
  return createMiddleware<HonoEnv>(async (c, next) => {
    if (c.req.header('authorization') !== undefined)
      c.set('member', await memberOf(c.req.header('authorization'), tokens));
    await next();
  });
}
