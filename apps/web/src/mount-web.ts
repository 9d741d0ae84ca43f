import type { Env, Hono } from 'hono';
import { webRoutes } from './web-routes.ts';

/**
 * The live auction page at `/` on a gateway's app (built by `npm run build:web`, which npm start
 * and npm test run first). The launcher mounts it, so the gateway itself knows nothing of the page.
 */
export function mountWeb<E extends Env>(app: Hono<E>): void {
  app.route('/', webRoutes());
}
