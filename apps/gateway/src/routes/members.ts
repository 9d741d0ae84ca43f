import { Charge, errors, Member, MemberCreate, MemberCreated, Points, TokenIssued } from '@dutch/contract';
import { addPoints, appendCharge, findMember, insertMember, insertToken, revokeToken } from '@dutch/db';
import { validateCharge } from '@dutch/domain';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { v4 as uuidv4 } from 'uuid';
import { ApiError, fromDomain } from '../api-error.ts';
import { type AppContext, memberIdOf, publish } from '../app-context.ts';
import { requireMember } from '../auth/authenticate.ts';
import { issueToken } from '../auth/tokens.ts';
import { RateLimiter } from '../bids/rate-limiter.ts';
import type { HonoEnv } from '../hono-env.ts';
import { clientAddressOf } from '../http/client-address.ts';
import { transactionInTime } from '../http/deadline.ts';
import { bearer, json, jsonResponse, router } from './router.ts';

type Router = OpenAPIHono<HonoEnv>;
type Guard = ReturnType<typeof requireMember>;

const noMember = () => new ApiError('UNAUTHENTICATED', 'This token belongs to no member.');

/** The member routes, mounted under /members. */
export function memberRoutes(ctx: AppContext) {
  const app = router();
  const auth = requireMember(ctx.tokens);
  // Sign-ups are free: unlimited, they would let one client make buyers faster than anything else limits them.
  const signups = new RateLimiter(ctx.config.signupRatePerMinute / 60, ctx.config.signupRateBurst, ctx.clock);
  addSignUpRoute(app, ctx, signups);
  addMeRoute(app, ctx, auth);
  addChargeRoute(app, ctx, auth);
  addTokenRoute(app, ctx, auth);
  addSignOutRoute(app, ctx, auth);
  return app;
}

function addSignUpRoute(app: Router, ctx: AppContext, signups: RateLimiter): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['Members'],
      summary: 'Sign up: everyone can both sell and buy. The token is shown once.',
      request: { body: json(MemberCreate) },
      responses: {
        201: jsonResponse(MemberCreated, 'The new member and their token'),
        ...errors(400, 413, 415, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const retryAfter = signups.take(clientAddressOf(c));
      if (retryAfter > 0) {
        throw new ApiError('RATE_LIMITED', 'Too many sign-ups from this address; try again later.', undefined, {
          'Retry-After': String(retryAfter),
        });
      }
      const token = issueToken();
      const id = uuidv4();
      const member = await transactionInTime(c, ctx.db, (tx) =>
        insertMember(tx, { id, name: body.name, age: body.age ?? null, gender: body.gender ?? null }, token),
      );
      return c.json({ ...member, token: token.token }, 201);
    },
  );
}

function addMeRoute(app: Router, ctx: AppContext, auth: Guard): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags: ['Members'],
      summary: 'Who the token belongs to, and their points (free, and held for leading English bids)',
      security: bearer,
      middleware: [auth] as const,
      responses: { 200: jsonResponse(Member, 'The member'), ...errors(401) },
    }),
    async (c) => {
      const row = await findMember(ctx.db, memberIdOf(c));
      if (row === undefined) throw noMember();
      return c.json(row, 200);
    },
  );
}

function addChargeRoute(app: Router, ctx: AppContext, auth: Guard): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/me/points',
      tags: ['Members'],
      summary: 'Charge points (1 to 10^9 at a time)',
      security: bearer,
      middleware: [auth] as const,
      request: { body: json(Charge) },
      responses: { 200: jsonResponse(Points, 'The balance after the charge'), ...errors(400, 401, 413, 415) },
    }),
    async (c) => {
      const charge = validateCharge(c.req.valid('json').amount);
      if (!charge.ok) throw fromDomain(charge.error);
      const memberId = memberIdOf(c);
      const points = await transactionInTime(c, ctx.db, async (tx) => {
        const after = await addPoints(tx, memberId, charge.value);
        // Published with the row locked and before the commit, so no gateway's bound of this
        // member's points misses it (auth/points-bounds.ts); a failed publish rolls back.
        if (after !== undefined) await publish(ctx, { type: 'credit', memberId, amount: charge.value });
        await appendCharge(tx, memberId, charge.value);
        return after;
      });
      if (points === undefined) throw noMember();
      return c.json({ points }, 200);
    },
  );
}

function addTokenRoute(app: Router, ctx: AppContext, auth: Guard): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/me/tokens',
      tags: ['Members'],
      summary: 'Issue another token for this member (e.g. for a second device)',
      security: bearer,
      middleware: [auth] as const,
      responses: { 201: jsonResponse(TokenIssued, 'The new token, shown once'), ...errors(401) },
    }),
    async (c) => {
      const token = issueToken();
      await transactionInTime(c, ctx.db, (tx) => insertToken(tx, memberIdOf(c), token));
      return c.json({ token: token.token }, 201);
    },
  );
}

function addSignOutRoute(app: Router, ctx: AppContext, auth: Guard): void {
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/me/tokens/current',
      tags: ['Members'],
      summary: 'Revoke the token this request is made with (sign out)',
      security: bearer,
      middleware: [auth] as const,
      responses: { 204: { description: 'Revoked; the token answers 401 from now on' }, ...errors(401) },
    }),
    async (c) => {
      const tokenId = c.get('member')?.tokenId as string;
      await transactionInTime(c, ctx.db, (tx) => revokeToken(tx, tokenId, ctx.clock()));
      ctx.tokens.forget(tokenId);
      await publish(ctx, { type: 'token-revoked', tokenId });
      return c.body(null, 204);
    },
  );
}
