import type { OpenAPIHono } from '@hono/zod-openapi';
import type { GatewayEnv } from './gateway-env.ts';
import { webRoutes } from './web.ts';

/** The live auction page at `/` (built by `npm run build:web`, which npm start and npm test run first). */
export function mountWeb(app: OpenAPIHono<GatewayEnv>): void {
  app.route('/', webRoutes());
}
