import { connect } from 'node:net';
import { type Stack, startStack } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

/** Sends raw bytes to the gateway's socket and reads everything until the server closes it. */
function exchange(bytes: string): Promise<{ head: string; body: string }> {
  const { hostname, port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const at = text.indexOf('\r\n\r\n');
      resolve({ head: text.slice(0, at), body: text.slice(at + 4) });
    });
  });
}

describe('requests node refuses before the app sees them', () => {
  it('a 100 KB header gets 431 HEADERS_TOO_LARGE in the error shape, and the connection closes', async () => {
    const { head, body } = await exchange(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`);
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/\r\nconnection: close/i);
    expect(head).toMatch(/\r\ncontent-type: application\/json/i);
    expect(JSON.parse(body)).toEqual({ error: { code: 'HEADERS_TOO_LARGE', message: expect.any(String) } });
  });

  it('Content-Length: abc gets 400 INVALID_REQUEST in the error shape', async () => {
    const { head, body } = await exchange('POST /members HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/\r\nconnection: close/i);
    expect(JSON.parse(body)).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.any(String) } });
  });

  it('garbage instead of a request line gets 400 in the error shape', async () => {
    const { head, body } = await exchange('\x00\x01 not http at all\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(body).error.code).toBe('INVALID_REQUEST');
  });
});
