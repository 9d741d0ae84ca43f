import { OpenAPIHono } from '@hono/zod-openapi';
import type { HonoEnv } from '../hono-env.ts';
import { validationHook } from '../http/validation.ts';

/** A sub-router whose validation failures become the contract's 400. */
export function router(): OpenAPIHono<HonoEnv> {
  return new OpenAPIHono<HonoEnv>({ defaultHook: validationHook });
}

export const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true as const });
export const jsonResponse = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const bearer = [{ bearer: [] as string[] }];
