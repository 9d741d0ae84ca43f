import { ErrorBody } from '@dutch/contract';
import { pingDatabase } from '@dutch/db';
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../app-context.ts';
import { jsonResponse, router } from './router.ts';

async function probe(check: () => Promise<unknown>, timeoutMs = 1_000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch (error) {
    return `down: ${(error as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

const Checks = z.object({ postgres: z.string(), redis: z.string() });

/** Liveness, readiness (can it reach Redis and Postgres?) and Prometheus metrics. */
export function opsRoutes(ctx: AppContext) {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['Operations'],
      summary: 'Liveness: the process answers',
      responses: { 200: jsonResponse(z.object({ status: z.literal('ok') }), 'Alive') },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/ready',
      tags: ['Operations'],
      summary: 'Readiness: Redis and Postgres answer',
      description: 'Bids are still accepted while Postgres is down (their path does not need it); this says so.',
      responses: {
        200: jsonResponse(z.object({ status: z.literal('ready'), checks: Checks }), 'Both reachable'),
        503: jsonResponse(ErrorBody.extend({ checks: Checks }), 'SERVICE_UNAVAILABLE: which one is down'),
      },
    }),
    async (c) => {
      const [postgres, redis] = await Promise.all([probe(() => pingDatabase(ctx.sql)), probe(() => ctx.redis.ping())]);
      const checks = { postgres, redis };
      if (postgres === 'up' && redis === 'up') return c.json({ status: 'ready' as const, checks }, 200);
      const down = Object.entries(checks)
        .filter(([, state]) => state !== 'up')
        .map(([name, state]) => `${name} ${state}`)
        .join('; ');
      return c.json({ error: { code: 'SERVICE_UNAVAILABLE', message: `Not ready: ${down}` }, checks }, 503);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      tags: ['Operations'],
      summary: 'Prometheus metrics of the whole engine (every gateway process and consumer under npm start)',
      responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } } },
    }),
    async (c) => {
      return c.text(await ctx.collectMetrics(), 200, { 'Content-Type': ctx.metrics.registry.contentType });
    },
  );

  return app;
}
