import { startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

describe('members and points', () => {
  it('signs up with 0 points and a token shown once, then knows who the token belongs to', async () => {
    const created = await t.request('POST', '/members', { body: { name: 'Ada', age: 36, gender: 'female' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Ada', points: 0, age: 36, gender: 'female' });
    expect(created.body.token).toMatch(/^dat_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const me = await t.request('GET', '/members/me', { token: created.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: created.body.id, name: 'Ada', points: 0, heldPoints: 0, age: 36, gender: 'female' });
  });

  it('stores only a hash of the token', async () => {
    const { id, token } = await t.signUp();
    const rows = await t.db.sql`select secret_hash from member_tokens where member_id = ${id}`;
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]?.secret_hash as Uint8Array).toString('hex')).not.toContain(token.slice(-20));
  });

  it('charges points and records the charge in the ledger', async () => {
    const { id, token } = await t.signUp();
    expect((await t.request('POST', '/members/me/points', { token, body: { amount: 500 } })).body).toEqual({
      points: 500,
    });
    expect((await t.request('POST', '/members/me/points', { token, body: { amount: 1_000_000_000 } })).body).toEqual({
      points: 1_000_000_500,
    });
    const ledger = await t.db.sql`select kind, amount from points_ledger where to_member = ${id} order by id`;
    expect(ledger.map((r) => [r.kind, r.amount])).toEqual([
      ['charge', 500],
      ['charge', 1_000_000_000],
    ]);
  });

  it.each([
    [{ amount: 0 }],
    [{ amount: 1_000_000_001 }],
    [{ amount: 1.5 }],
    [{ amount: '100' }],
    [{}],
    [{ amount: 5, extra: true }],
  ])('refuses the charge %j with 400 naming the field, and changes nothing', async (body) => {
    const { token } = await t.signUp();
    const reply = await t.request('POST', '/members/me/points', { token, body });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('INVALID_REQUEST');
    expect(reply.body.error.message).toMatch(/amount|extra/);
    expect((await t.request('GET', '/members/me', { token })).body.points).toBe(0);
  });

  it.each([
    [{}],
    [{ name: '' }],
    [{ name: 'x'.repeat(101) }],
    [{ name: 'Bo', age: 151 }],
    [{ name: 'Bo', age: -1 }],
    [{ name: 'Bo', gender: 'robot' }],
    [{ name: 42 }],
  ])('refuses the sign-up %j', async (body) => {
    const reply = await t.request('POST', '/members', { body });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('INVALID_REQUEST');
  });

  it('answers 401 for a missing, malformed, unknown or revoked token', async () => {
    const { token } = await t.signUp();
    expect((await t.request('GET', '/members/me')).status).toBe(401);
    expect((await t.request('GET', '/members/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    expect((await t.request('GET', '/members/me', { token: 'not-a-token' })).status).toBe(401);
    const forged = `${token.slice(0, -5)}AAAAA`;
    expect((await t.request('GET', '/members/me', { token: forged })).body.error.code).toBe('UNAUTHENTICATED');
    const unknown = `dat_${'0'.repeat(32)}_${'A'.repeat(43)}`;
    expect((await t.request('GET', '/members/me', { token: unknown })).status).toBe(401);

    const second = await t.request('POST', '/members/me/tokens', { token });
    expect(second.status).toBe(201);
    expect((await t.request('DELETE', '/members/me/tokens/current', { token })).status).toBe(204);
    expect((await t.request('GET', '/members/me', { token })).status).toBe(401);
    expect((await t.request('GET', '/members/me', { token: second.body.token })).status).toBe(200);
  });

  it('refuses a body that is not JSON, or too large', async () => {
    const malformed = await t.request('POST', '/members', {
      body: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('INVALID_REQUEST');
    const wrongType = await t.request('POST', '/members', {
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await t.request('POST', '/members', { body: { name: 'x', pad: 'y'.repeat(70_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 64 KB.' });
  });
});
