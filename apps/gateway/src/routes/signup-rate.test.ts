import { request as httpRequest } from 'node:http';
import { type Stack, startStack } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ SIGNUP_RATE_PER_MINUTE: '2', SIGNUP_RATE_BURST: '3' });
});
afterAll(async () => {
  await stack.stop();
});

/** POST /members over a real socket, from the given local address (any 127.x works on loopback). */
function signUp(
  from: string,
  headers: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON it asserts on.
): Promise<{ status: number; body: any; retryAfter?: string }> {
  const url = new URL('/members', stack.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), retryAfter: res.headers['retry-after'] }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ name: 'flood' }));
  });
}

describe('POST /members is rate-limited per client address', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the burst; X-Forwarded-For does not get around it; another address still signs up', async () => {
    for (let i = 0; i < 3; i++) expect((await signUp('127.0.0.1')).status).toBe(201);
    const limited = await signUp('127.0.0.1');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toEqual({ code: 'RATE_LIMITED', message: expect.stringMatching(/sign-ups/) });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);

    // Anyone can write X-Forwarded-For: it is not trusted, so a forged one is the same client.
    expect((await signUp('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);

    expect((await signUp('127.0.0.2')).status).toBe(201);
  });
});
