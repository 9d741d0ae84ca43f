import { Charge, errors, Member, MemberCreate, MemberCreated, Points, TokenIssued } from '@dutch/contract';
import { members, memberTokens, pointsLedger } from '@dutch/db';
import { validateCharge } from '@dutch/domain';
import { createRoute } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { v4 as uuidv4 } from 'uuid';
import { type AppContext, memberIdOf, publish } from '../app-context.ts';
import { requireMember } from '../auth/authenticate.ts';
import { issueToken } from '../auth/tokens.ts';
import { RateLimiter } from '../bids/rate-limiter.ts';
import { ApiError, fromDomain } from '../api-error.ts';
import { clientAddressOf } from '../http/client-address.ts';
import { transactionInTime } from '../http/deadline.ts';
import { bearer, json, jsonResponse, router } from './router.ts';

const memberColumns = {
  id: members.id,
  name: members.name,
  points: members.points,
  age: members.age,
  gender: members.gender,
};

const noMember = () => new ApiError('UNAUTHENTICATED', 'This token belongs to no member.');

export function memberRoutes(ctx: AppContext) {
  const app = router();
  const auth = requireMember(ctx.tokens);
  // Sign-ups are free: unlimited, they would let one client make buyers faster than anything else limits them.
  const signups = new RateLimiter(ctx.config.signupRatePerMinute / 60, ctx.config.signupRateBurst, ctx.clock);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/members',
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
      const member = await transactionInTime(c, ctx.db, async (tx) => {
        const [row] = await tx
          .insert(members)
          .values({ id, name: body.name, age: body.age ?? null, gender: body.gender ?? null })
          .returning(memberColumns);
        await tx.insert(memberTokens).values({ id: token.tokenId, memberId: id, secretHash: token.secretHash });
        return row;
      });
      if (member === undefined) throw new Error('member insert returned nothing');
      return c.json({ ...member, token: token.token }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/members/me',
      tags: ['Members'],
      summary: 'Who the token belongs to, and their points',
      security: bearer,
      middleware: [auth] as const,
      responses: { 200: jsonResponse(Member, 'The member'), ...errors(401) },
    }),
    async (c) => {
      const [row] = await ctx.db
        .select(memberColumns)
        .from(members)
        .where(eq(members.id, memberIdOf(c)));
      if (row === undefined) throw noMember();
      return c.json(row, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/members/me/points',
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
        const [row] = await tx
          .update(members)
          .set({ points: sql`${members.points} + ${charge.value}` })
          .where(eq(members.id, memberId))
          .returning({ points: members.points });
        // Published with the row locked and before the commit, so no gateway's bound of this
        // member's points misses it (auth/points-bounds.ts); a failed publish rolls back.
        if (row !== undefined) await publish(ctx, { type: 'credit', memberId, amount: charge.value });
        await tx.insert(pointsLedger).values({ kind: 'charge', toMember: memberId, amount: charge.value });
        return row?.points;
      });
      if (points === undefined) throw noMember();
      return c.json({ points }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/members/me/tokens',
      tags: ['Members'],
      summary: 'Issue another token for this member (e.g. for a second device)',
      security: bearer,
      middleware: [auth] as const,
      responses: { 201: jsonResponse(TokenIssued, 'The new token, shown once'), ...errors(401) },
    }),
    async (c) => {
      const token = issueToken();
      await transactionInTime(c, ctx.db, (tx) =>
        tx.insert(memberTokens).values({ id: token.tokenId, memberId: memberIdOf(c), secretHash: token.secretHash }),
      );
      return c.json({ token: token.token }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/members/me/tokens/current',
      tags: ['Members'],
      summary: 'Revoke the token this request is made with (sign out)',
      security: bearer,
      middleware: [auth] as const,
      responses: { 204: { description: 'Revoked; the token answers 401 from now on' }, ...errors(401) },
    }),
    async (c) => {
      const tokenId = c.get('member')?.tokenId as string;
      await transactionInTime(c, ctx.db, (tx) =>
        tx
          .update(memberTokens)
          .set({ revokedAt: new Date(ctx.clock()) })
          .where(eq(memberTokens.id, tokenId)),
      );
      ctx.tokens.forget(tokenId);
      await publish(ctx, { type: 'token-revoked', tokenId });
      return c.body(null, 204);
    },
  );

  return app;
}
