import { startTestGateway, type TestGateway } from '@dutch/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Cursors are opaque, but a client can forge one: base64url JSON with any field values. Every
 * forged cursor on every list is a 200 (if it happens to be one a list could have issued) or a
 * 400 naming `cursor`, never a 5xx.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SORTS = ['startsAt', '-startsAt', 'currentPrice', '-currentPrice'] as const;

let t: TestGateway;
let buyer: { id: string; token: string };
let seller: { id: string; token: string };

beforeAll(async () => {
  t = await startTestGateway();
  seller = await t.signUp('seller');
  buyer = await t.signUp('buyer', 1_000_000);
  // Running auctions with one-second steps (the most steps), and a scheduled one.
  for (const dropIntervalSeconds of [1, 60]) {
    await t.createAuction(seller.token, {
      startsIn: 1_000,
      dropIntervalSeconds,
      priceDrop: { kind: 'constant', amount: 1 },
    });
  }
  await t.createAuction(seller.token, { startsIn: 3_600_000 });
  t.travel(5_000);
  for (const auction of (await t.request('GET', '/auctions?status=running')).body.items) {
    await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 1, maxPrice: 10_000 },
    });
  }
  await t.settle();
});
afterAll(async () => {
  await t.close();
});

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Numbers, weighted toward the edges of what JSON, JavaScript and Postgres types hold. */
const number = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32,
      2 ** 53,
      253402300799999,
      253402300800000,
      -1,
      0,
      1e300,
      0.5,
    ),
  },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 253402300799999 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
);
const field = fc.oneof(number, fc.string(), fc.constant(null), fc.boolean());
const uuid = fc.oneof(fc.uuid(), fc.constant('00000000-0000-0000-0000-000000000000'), fc.string());

/**
 * A forged auction-list cursor for `sort`: mostly the right shape (this sort, a real-looking id)
 * with any numbers, so the query runs with them; else any values, or any shape at all.
 */
const auctionCursor = (sort: string) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ sort: fc.constant(sort), asOf: number, key: number, id: fc.uuid() }).map(encode),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ sort: fc.oneof(fc.constant(sort), fc.string()), asOf: field, key: field, id: uuid })
        .map(encode),
    },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.jsonValue().map(encode) },
  );
const receiptCursor = fc.oneof(
  { weight: 6, arbitrary: fc.record({ at: number, id: fc.uuid() }).map(encode) },
  { weight: 2, arbitrary: fc.record({ at: field, id: uuid }).map(encode) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.jsonValue().map(encode) },
);

async function expectNoServerError(path: string, token?: string) {
  const reply = await t.request('GET', path, token === undefined ? {} : { token });
  expect(reply.status, `${path} -> ${JSON.stringify(reply.body)}`).toBeLessThan(500);
  if (reply.status !== 200) {
    expect(reply.status, path).toBe(400);
    expect(reply.body.error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('cursor') });
  }
}

describe('forged list cursors', () => {
  it('on /auctions, for every sort and status filter, are refused with a 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...SORTS)
          .chain((sort) =>
            fc.tuple(
              fc.constant(sort),
              fc.constantFrom('', '&status=running', '&status=sold_out', '&status=scheduled'),
              auctionCursor(sort),
            ),
          ),
        async ([sort, filter, cursor]) => {
          await expectNoServerError(`/auctions?sort=${sort}${filter}&cursor=${encodeURIComponent(cursor)}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('on purchases and sales, are refused with a 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('purchases', 'sales'), receiptCursor, async (list, cursor) => {
        const token = list === 'purchases' ? buyer.token : seller.token;
        await expectNoServerError(`/members/me/${list}?cursor=${encodeURIComponent(cursor)}`, token);
      }),
      { numRuns: RUNS },
    );
  });

  it('names cursor for a price key past int4 and for an instant no list issued', async () => {
    const id = '01900000-0000-7000-8000-000000000000';
    for (const [sort, asOf, key] of [
      ['currentPrice', t.now(), 2147483648],
      ['-currentPrice', 253402300799999, 100],
      ['startsAt', 253402300799999, 100],
      ['currentPrice', 0, 100],
    ] as const) {
      const reply = await t.request('GET', `/auctions?sort=${sort}&cursor=${encode({ sort, asOf, key, id })}`);
      expect([reply.status, reply.body.error?.code, reply.body.error?.details?.[0]?.field]).toEqual([
        400,
        'INVALID_REQUEST',
        'cursor',
      ]);
    }
  });

  it('still pages with the cursors the lists issue', async () => {
    for (const sort of SORTS) {
      const first = await t.request('GET', `/auctions?sort=${sort}&limit=1`);
      expect(first.body.nextCursor).not.toBeNull();
      const next = await t.request('GET', `/auctions?sort=${sort}&limit=1&cursor=${first.body.nextCursor}`);
      expect(next.status).toBe(200);
      expect(next.body.items[0].id).not.toBe(first.body.items[0].id);
    }
  });
});
