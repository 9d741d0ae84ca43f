import { describe, expect, it } from 'vitest';
import { randomUuid } from './random-uuid.ts';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomUuid', () => {
  it('uses crypto.randomUUID when there is one', () => {
    expect(randomUuid()).toMatch(V4);
  });

  it('builds a v4 UUID from random bytes outside secure contexts', () => {
    const insecure = { getRandomValues: crypto.getRandomValues.bind(crypto) } as unknown as Crypto;
    const a = randomUuid(insecure);
    expect(a).toMatch(V4);
    expect(randomUuid(insecure)).not.toBe(a);
  });
});
