import { streamKey } from '@dutch/stream';
import { type Reply, startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestGateway;
type Member = { id: string; token: string };
let owner: Member;
let buyer: Member;
let stranger: Member;
/** The owner's auctions: one scheduled, one that ran and ended (with a PURCHASED receipt of buyer's). */
let scheduled: { id: string; startsAt: string; endsAt: string };
let ended: { id: string; startsAt: string; endsAt: string };
let receiptId: string;

beforeAll(async () => {
  t = await startTestGateway();
  owner = await t.signUp('owner', 5_000);
  buyer = await t.signUp('buyer', 50_000);
  stranger = await t.signUp('stranger', 50_000);
  ended = await t.createAuction(owner.token, { title: 'ran' });
  t.travel(Date.parse(ended.startsAt) - t.now() + 1);
  const bid = await t.request('POST', `/auctions/${ended.id}/bids`, {
    token: buyer.token,
    body: { quantity: 2, maxPrice: 1000 },
  });
  expect(bid.status).toBe(202);
  receiptId = bid.body.receiptId;
  await t.settle();
  t.travel(Date.parse(ended.endsAt) - t.now() + 1);
  scheduled = await t.createAuction(owner.token, { title: 'upcoming' });
});
afterAll(async () => {
  await t.close();
});

const UNKNOWN = '01900000-0000-7000-8000-000000000000';

/** Everything a refusal must leave alone: members, auctions, receipts and the ledger, row for row. */
async function snapshot(): Promise<string> {
  const [members, auctions, receipts, ledger, watches, notifications] = await Promise.all([
    t.db.sql`select * from members order by id`,
    t.db.sql`select * from auctions order by id`,
    t.db.sql`select * from receipts order by id`,
    t.db.sql`select * from points_ledger order by id`,
    t.db.sql`select * from watches order by member_id, auction_id`,
    t.db.sql`select * from notifications order by id`,
  ]);
  return JSON.stringify({ members, auctions, receipts, ledger, watches, notifications });
}

async function streamLengths(): Promise<number[]> {
  return Promise.all(Array.from({ length: t.layout.shards }, (_, shard) => t.redis.xlen(streamKey(t.layout, shard))));
}

function expectError(reply: Reply, status: number, code: string) {
  expect([reply.status, reply.body?.error?.code], JSON.stringify(reply.body)).toEqual([status, code]);
  expect(Object.keys(reply.body)).toEqual(['error']);
  expect(typeof reply.body.error.message).toBe('string');
}

interface Attempt {
  readonly name: string;
  readonly method: string;
  readonly path: () => string;
  readonly body?: unknown;
  readonly as: () => Member;
  readonly status: number;
  readonly code: string;
}

/** Someone acting on a resource that is not theirs, and what the route answers. */
const attempts: Attempt[] = [
  {
    name: 'a stranger edits a scheduled auction',
    method: 'PATCH',
    path: () => `/auctions/${scheduled.id}`,
    body: { title: 'mine now', startPrice: 1 },
    as: () => stranger,
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'a stranger edits an ended auction (403 before 409)',
    method: 'PATCH',
    path: () => `/auctions/${ended.id}`,
    body: { title: 'mine now' },
    as: () => stranger,
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'the buyer edits the auction they bought in',
    method: 'PATCH',
    path: () => `/auctions/${ended.id}`,
    body: { stock: 100, perBuyerLimit: 1 },
    as: () => buyer,
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'a stranger deletes a scheduled auction',
    method: 'DELETE',
    path: () => `/auctions/${scheduled.id}`,
    as: () => stranger,
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'a stranger deletes an ended auction (403 before 409)',
    method: 'DELETE',
    path: () => `/auctions/${ended.id}`,
    as: () => stranger,
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: "a stranger reads the buyer's receipt",
    method: 'GET',
    path: () => `/receipts/${receiptId}`,
    as: () => stranger,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: "a stranger asks a refund of the buyer's receipt",
    method: 'POST',
    path: () => `/receipts/${receiptId}/refund`,
    as: () => stranger,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: "the seller asks a refund of the buyer's receipt",
    method: 'POST',
    path: () => `/receipts/${receiptId}/refund`,
    as: () => owner,
    status: 403,
    code: 'FORBIDDEN',
  },
];

describe("another member's resource", () => {
  it.each(attempts)('$name -> $status $code, nothing changes', async (attempt) => {
    const before = await snapshot();
    const queued = await streamLengths();
    const reply = await t.request(attempt.method, attempt.path(), {
      token: attempt.as().token,
      ...(attempt.body === undefined ? {} : { body: attempt.body }),
    });
    expectError(reply, attempt.status, attempt.code);
    await t.settle();
    expect(await snapshot()).toBe(before);
    expect(await streamLengths()).toEqual(queued);
  });

  it('a 404 for a receipt that is not yours reads exactly like one for a receipt that does not exist', async () => {
    const theirs = await t.request('GET', `/receipts/${receiptId}`, { token: stranger.token });
    const missing = await t.request('GET', `/receipts/${UNKNOWN}`, { token: stranger.token });
    expect([theirs.status, theirs.body]).toEqual([missing.status, missing.body]);
    const refundTheirs = await t.request('POST', `/receipts/${receiptId}/refund`, { token: stranger.token });
    const refundMissing = await t.request('POST', `/receipts/${UNKNOWN}/refund`, { token: stranger.token });
    expect([refundTheirs.status, refundTheirs.body]).toEqual([refundMissing.status, refundMissing.body]);
  });

  it('the seller bidding on their own auction is refused 409 OWN_AUCTION, and nothing is queued', async () => {
    const running = await t.createAuction(owner.token, { title: 'live' });
    t.travel(Date.parse(running.startsAt) - t.now() + 1);
    // Travelling ends earlier auctions: their closes settle here, not during the refusal below.
    await t.settle();
    const before = await snapshot();
    const queued = await streamLengths();
    const reply = await t.request('POST', `/auctions/${running.id}/bids`, {
      token: owner.token,
      body: { quantity: 1, maxPrice: 1000 },
    });
    expectError(reply, 409, 'OWN_AUCTION');
    expect(await streamLengths()).toEqual(queued);
    await t.settle();
    expect(await snapshot()).toBe(before);
  });

  it("lists show only the caller's own receipts", async () => {
    const purchases = await t.request('GET', '/members/me/purchases', { token: stranger.token });
    const sales = await t.request('GET', '/members/me/sales', { token: stranger.token });
    expect(purchases.body).toEqual({ items: [], nextCursor: null });
    expect(sales.body).toEqual({ items: [], nextCursor: null });
    const ownerSales = await t.request('GET', '/members/me/sales', { token: owner.token });
    expect(ownerSales.body.items.map((r: { id: string }) => r.id)).toEqual([receiptId]);
    expect((await t.request('GET', '/members/me/purchases', { token: owner.token })).body.items).toEqual([]);
    const buyerPurchases = await t.request('GET', '/members/me/purchases', { token: buyer.token });
    expect(buyerPurchases.body.items.map((r: { id: string }) => r.id)).toEqual([receiptId]);
  });

  it("charging points or revoking a token touches only the caller's own", async () => {
    const pointsBefore = (await t.request('GET', '/members/me', { token: owner.token })).body.points;
    const other = await t.signUp('other');
    const extra = (await t.request('POST', '/members/me/tokens', { token: other.token })).body.token;
    expect((await t.request('POST', '/members/me/points', { token: other.token, body: { amount: 7 } })).body).toEqual({
      points: 7,
    });
    expect((await t.request('DELETE', '/members/me/tokens/current', { token: extra })).status).toBe(204);
    expect((await t.request('GET', '/members/me', { token: owner.token })).body.points).toBe(pointsBefore);
    expect((await t.request('GET', '/members/me', { token: other.token })).status).toBe(200);
    expect((await t.request('GET', '/members/me', { token: extra })).status).toBe(401);
  });

  it('checks in the contract order: 401, 400, 404, 403, 409', async () => {
    const before = await snapshot();
    const patch = (id: string, body: unknown, token?: string) =>
      t.request('PATCH', `/auctions/${id}`, token === undefined ? { body } : { token, body });
    expectError(await patch(ended.id, { stock: 0 }), 401, 'UNAUTHENTICATED');
    expectError(await patch('nope', { stock: 0 }, stranger.token), 400, 'INVALID_REQUEST');
    expectError(await patch(ended.id, { stock: 0 }, stranger.token), 400, 'INVALID_REQUEST');
    expectError(await patch(UNKNOWN, { title: 'x' }, stranger.token), 404, 'NOT_FOUND');
    expectError(await patch(ended.id, { title: 'x' }, stranger.token), 403, 'FORBIDDEN');
    expectError(await patch(ended.id, { title: 'x' }, owner.token), 409, 'AUCTION_ALREADY_STARTED');
    const refund = (id: string, token?: string) =>
      t.request('POST', `/receipts/${id}/refund`, token === undefined ? {} : { token });
    expectError(await refund('nope'), 401, 'UNAUTHENTICATED');
    expectError(await refund('nope', stranger.token), 400, 'INVALID_REQUEST');
    expectError(await refund(UNKNOWN, owner.token), 404, 'NOT_FOUND');
    expectError(await refund(receiptId, owner.token), 403, 'FORBIDDEN');
    await t.settle();
    expect(await snapshot()).toBe(before);
  });
});

/** Every endpoint that takes a token, by the contract (and GET /auctions/... reads, which take one optionally). */
const PROTECTED: [string, string, unknown?][] = [
  ['POST', '/auctions', { title: 'x' }],
  ['PATCH', '/auctions/{id}', { title: 'x' }],
  ['DELETE', '/auctions/{id}'],
  ['POST', '/auctions/{id}/bids', { quantity: 1, maxPrice: 1000 }],
  ['GET', '/receipts/{id}'],
  ['POST', '/receipts/{id}/refund'],
  ['GET', '/members/me'],
  ['POST', '/members/me/points', { amount: 100 }],
  ['POST', '/members/me/tokens'],
  ['DELETE', '/members/me/tokens/current'],
  ['GET', '/members/me/purchases'],
  ['GET', '/members/me/sales'],
  ['PUT', '/auctions/{id}/watch', { alertPrice: 5 }],
  ['DELETE', '/auctions/{id}/watch'],
  ['GET', '/members/me/watches'],
  ['GET', '/members/me/notifications'],
  ['POST', '/members/me/notifications/read', { upTo: '1' }],
  ['GET', '/members/me/events'],
];

describe('without a valid token', () => {
  it('the OpenAPI document marks exactly these endpoints as needing a token', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body;
    const secured: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[] }>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if ((operation.security ?? []).length > 0) secured.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(secured.sort()).toEqual(PROTECTED.map(([m, p]) => `${m} ${p}`).sort());
  });

  const revokedToken = async () => {
    const member = await t.signUp('revoked');
    await t.request('DELETE', '/members/me/tokens/current', { token: member.token });
    return member.token;
  };
  const credentials: [string, () => Promise<Record<string, string>>][] = [
    ['no Authorization header', async () => ({})],
    ['an empty bearer', async () => ({ authorization: 'Bearer ' })],
    ['another scheme', async () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
    ['a malformed token', async () => ({ authorization: 'Bearer not-a-token' })],
    ['an unknown token', async () => ({ authorization: `Bearer dat_${'0'.repeat(32)}_${'A'.repeat(43)}` })],
    ['a revoked token', async () => ({ authorization: `Bearer ${await revokedToken()}` })],
  ];

  describe.each(credentials)('with %s', (_, headers) => {
    it.each(PROTECTED)('%s %s answers 401 UNAUTHENTICATED and changes nothing', async (method, path, body) => {
      const ids: Record<string, string> = {
        '/auctions/{id}': scheduled.id,
        '/auctions/{id}/bids': ended.id,
        '/receipts/{id}': receiptId,
        '/receipts/{id}/refund': receiptId,
      };
      const sent = await headers();
      const before = await snapshot();
      const queued = await streamLengths();
      const reply = await t.request(method, path.replace('{id}', ids[path] ?? UNKNOWN), {
        headers: sent,
        ...(body === undefined ? {} : { body }),
      });
      expectError(reply, 401, 'UNAUTHENTICATED');
      await t.settle();
      expect(await snapshot()).toBe(before);
      expect(await streamLengths()).toEqual(queued);
    });
  });

  it('a bad token is 401 even on public reads', async () => {
    for (const path of ['/auctions', `/auctions/${scheduled.id}`, `/auctions/${scheduled.id}/events`]) {
      expectError(await t.request('GET', path, { token: 'not-a-token' }), 401, 'UNAUTHENTICATED');
    }
  });

  it('a 401 comes before any other check', async () => {
    expectError(await t.request('POST', '/auctions', { body: { nonsense: true } }), 401, 'UNAUTHENTICATED');
    expectError(await t.request('PATCH', '/auctions/nope', { body: { stock: 0 } }), 401, 'UNAUTHENTICATED');
    expectError(
      await t.request('POST', `/auctions/${UNKNOWN}/bids`, { body: { quantity: 0 } }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await t.request('GET', '/members/me/purchases?limit=0'), 401, 'UNAUTHENTICATED');
    expectError(await t.request('POST', '/members/me/points', { body: { amount: -1 } }), 401, 'UNAUTHENTICATED');
  });
});
