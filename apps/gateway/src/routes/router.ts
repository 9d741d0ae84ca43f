import { OpenAPIHono } from '@hono/zod-openapi';
import type { GatewayEnv } from '../gateway-env.ts';
import { validationHook } from '../http/validation.ts';

/** A sub-router whose validation failures become the contract's 400. */
export function router(): OpenAPIHono<GatewayEnv> {
  return new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook });
}

export const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true as const });
export const jsonResponse = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const bearer = [{ bearer: [] as string[] }];
