import { createMiddleware } from 'hono/factory';
import { ApiError } from '../api-error.ts';
import type { HonoEnv } from '../hono-env.ts';
import type { CachedToken, TokenCache } from './token-cache.ts';
import { bearerOf, parseToken, secretMatches } from './tokens.ts';

const unauthenticated = () =>
  new ApiError('UNAUTHENTICATED', 'A valid bearer token is required (Authorization: Bearer <token>).');

/** The bearer token of an Authorization header, parsed; null when there is none or it is malformed. */
export function credentialOf(header: string | undefined): { tokenId: string; secret: string } | null {
  const credential = bearerOf(header);
  return credential === null ? null : parseToken(credential);
}

/**
 * The member a looked-up token belongs to, when it is live and the secret matches; null for an
 * unknown (null or not looked up: undefined), revoked or forged one. The secret is compared
 * whatever the token, so timing says nothing about which.
 */
export function verifiedMember(
  credential: { tokenId: string; secret: string },
  token: CachedToken | null | undefined,
): { id: string; tokenId: string } | null {
  const matches = secretMatches(credential.secret, token?.secretHash ?? ZERO_HASH);
  if (token === null || token === undefined || token.revoked || !matches) return null;
  return { id: token.memberId, tokenId: credential.tokenId };
}

/** The member a request's token belongs to; throws 401 for a missing, malformed, unknown or revoked token. */
async function memberOf(header: string | undefined, tokens: TokenCache): Promise<{ id: string; tokenId: string }> {
  const credential = credentialOf(header);
  if (credential === null) throw unauthenticated();
  const member = verifiedMember(credential, await tokens.get(credential.tokenId));
  if (member === null) throw unauthenticated();
  return member;
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
