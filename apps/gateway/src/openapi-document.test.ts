import { readFile } from 'node:fs/promises';
import { startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

describe('GET /openapi.json', () => {
  // The snapshot was taken before the schemas moved to @dutch/contract: moving them, or any
  // later restructuring, must not change the published contract by accident. Version 2 (formats,
  // closing, uniform pricing, held points) changed it on purpose, and replaced it; so did issue 13
  // (positions, the board, watches, notifications and the member stream).
  it('is the document the contract has always published', async () => {
    const snapshot = JSON.parse(await readFile(new URL('./openapi-document.snapshot.json', import.meta.url), 'utf8'));
    const reply = await t.request('GET', '/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(snapshot);
  });
});
