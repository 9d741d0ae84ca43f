import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ApiError, handleError } from './api-error.ts';

async function answerFor(code: ApiError['code']) {
  const app = new Hono();
  app.onError(handleError(pino({ level: 'silent' })));
  app.get('/', () => {
    throw new ApiError(code, 'refused');
  });
  const response = await app.request('/');
  return { status: response.status, body: await response.json() };
}

describe('the status of each error code', () => {
  it.each([
    ['INVALID_REQUEST', 400],
    ['UNAUTHENTICATED', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['PAYLOAD_TOO_LARGE', 413],
    ['UNSUPPORTED_MEDIA_TYPE', 415],
    ['RATE_LIMITED', 429],
    ['SERVICE_UNAVAILABLE', 503],
    ['INTERNAL_ERROR', 500],
    ['AUCTION_NOT_RUNNING', 409],
    ['SOLD_OUT', 409],
    ['PRICE_ABOVE_MAX', 409],
    ['OWN_AUCTION', 409],
    ['INSUFFICIENT_POINTS', 409],
    ['AUCTION_ALREADY_STARTED', 409],
    ['AUCTION_NOT_ENDED', 409],
    ['NOT_REFUNDABLE', 409],
    ['IDEMPOTENCY_KEY_REUSED', 409],
  ] as const)('%s is a %i in the contract error shape', async (code, status) => {
    expect(await answerFor(code)).toEqual({ status, body: { error: { code, message: 'refused' } } });
  });
});
