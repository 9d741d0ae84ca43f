import { type Reply, startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const iso = (ms: number) => new Date(ms).toISOString();

/** An English create body starting `lead` ms from the gateway's now: from 500 by 50, an hour long. */
function english(overrides: Record<string, unknown> = {}, lead = 60_000) {
  const startsAt = t.now() + lead;
  return {
    format: 'english',
    title: 'Signed guitar',
    startPrice: 500,
    minIncrement: 50,
    startsAt: iso(startsAt),
    endsAt: iso(startsAt + 3_600_000),
    ...overrides,
  };
}

function expectInvalid(reply: Reply, field: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(400);
  expect(reply.body.error.code).toBe('INVALID_REQUEST');
  expect(reply.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
}

const create = (token: string, body: unknown) => t.request('POST', '/auctions', { token, body });
const get = (id: string, token?: string) => t.request('GET', `/auctions/${id}`, token === undefined ? {} : { token });
const patch = (id: string, token: string, body: unknown) => t.request('PATCH', `/auctions/${id}`, { token, body });

describe('POST /auctions with format english', () => {
  it('answers 201 with the English view; the reserve price goes to the seller only', async () => {
    const seller = await t.signUp('seller');
    // A reserve no id or timestamp could contain by chance.
    const sent = english({ description: 'A Stratocaster', reservePrice: 987_654, extendSeconds: 30 });
    const reply = await create(seller.token, sent);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toEqual({
      id: expect.stringMatching(UUID),
      sellerId: seller.id,
      title: 'Signed guitar',
      description: 'A Stratocaster',
      format: 'english',
      startsAt: sent.startsAt,
      endsAt: sent.endsAt,
      status: 'scheduled',
      closedAt: null,
      startPrice: 500,
      minIncrement: 50,
      extendSeconds: 30,
      highBid: null,
      bidCount: 0,
      minNextBid: 500,
      currentPrice: 500,
      reserveMet: false,
      reservePrice: 987_654,
      winnerId: null,
      finalPrice: null,
      createdAt: expect.any(String),
      serverTime: expect.any(String),
    });
    expect(reply.headers.get('location')).toBe(`/auctions/${reply.body.id}`);

    const buyer = await t.signUp('buyer');
    const asSeller = await get(reply.body.id, seller.token);
    expect(asSeller.body.reservePrice).toBe(987_654);
    for (const view of [(await get(reply.body.id, buyer.token)).body, (await get(reply.body.id)).body]) {
      expect(view).not.toHaveProperty('reservePrice');
      expect(JSON.stringify(view)).not.toContain('987654');
      expect(view).toMatchObject({ format: 'english', reserveMet: false, minNextBid: 500 });
    }
  });

  it('defaults extendSeconds to 0 and the reserve to none (null, to the seller)', async () => {
    const seller = await t.signUp('seller');
    const reply = await create(seller.token, english());
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ extendSeconds: 0, reservePrice: null, description: '' });
  });

  it('accepts the longest English auction (7 days) and extendSeconds up to 600', async () => {
    const seller = await t.signUp('seller');
    const startsAt = t.now() + 60_000;
    const longest = english({ endsAt: iso(startsAt + 7 * 24 * 3_600_000), extendSeconds: 600 });
    longest.startsAt = iso(startsAt);
    expect((await create(seller.token, longest)).status).toBe(201);
  });

  it('refuses what the English rules forbid, 400 naming the field', async () => {
    const seller = await t.signUp('seller');
    const startsAt = t.now() + 60_000;
    const cases: [Record<string, unknown>, string][] = [
      [{ minIncrement: undefined }, 'minIncrement'],
      [{ minIncrement: 0 }, 'minIncrement'],
      [{ startPrice: 0 }, 'startPrice'],
      [{ reservePrice: 499 }, 'reservePrice'],
      [{ extendSeconds: 601 }, 'extendSeconds'],
      [{ extendSeconds: -1 }, 'extendSeconds'],
      [{ startsAt: iso(startsAt), endsAt: iso(startsAt + 7 * 24 * 3_600_000 + 1000) }, 'endsAt'],
      [{ startsAt: iso(startsAt), endsAt: iso(startsAt + 1500) }, 'endsAt'],
      [{ startsAt: iso(t.now() - 3_600_000) }, 'startsAt'],
      [{ title: '   ' }, 'title'],
      // The Dutch fields mean nothing to an English auction.
      [{ stock: 3 }, 'stock'],
      [{ priceDrop: { kind: 'constant', amount: 10 } }, 'priceDrop'],
      [{ pricing: 'uniform' }, 'pricing'],
      [{ format: 'sealed' }, 'format'],
    ];
    for (const [overrides, field] of cases) {
      const body = english(overrides);
      for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete (body as never)[key];
      expectInvalid(await create(seller.token, body), field);
    }
  });

  it('refuses English fields on a Dutch body (with or without format), naming them', async () => {
    const seller = await t.signUp('seller');
    const startsAt = t.now() + 60_000;
    const dutch = {
      title: 'Lamp',
      startPrice: 100,
      priceDrop: { kind: 'constant', amount: 10 },
      dropIntervalSeconds: 60,
      startsAt: iso(startsAt),
      endsAt: iso(startsAt + 600_000),
      stock: 3,
      perBuyerLimit: 1,
    };
    expectInvalid(await create(seller.token, { ...dutch, minIncrement: 5 }), 'minIncrement');
    expectInvalid(await create(seller.token, { ...dutch, format: 'dutch', reservePrice: 200 }), 'reservePrice');
    expectInvalid(await create(seller.token, { ...dutch, pricing: 'second_price' }), 'pricing');
    const uniform = await create(seller.token, { ...dutch, format: 'dutch', pricing: 'uniform' });
    expect(uniform.status).toBe(201);
    expect(uniform.body).toMatchObject({ format: 'dutch', pricing: 'uniform', clearingPrice: null, closedAt: null });
  });
});

describe('PATCH and DELETE on an English auction', () => {
  it('merges English fields, validates the whole, and null takes the reserve away', async () => {
    const seller = await t.signUp('seller');
    const auction = (await create(seller.token, english({ reservePrice: 900 }))).body;
    const changed = await patch(auction.id, seller.token, { minIncrement: 25, extendSeconds: 60, title: 'Guitar' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ minIncrement: 25, extendSeconds: 60, title: 'Guitar', reservePrice: 900 });
    expectInvalid(await patch(auction.id, seller.token, { startPrice: 1000 }), 'reservePrice');
    const noReserve = await patch(auction.id, seller.token, { reservePrice: null, startPrice: 1000 });
    expect(noReserve.body).toMatchObject({ reservePrice: null, startPrice: 1000, minNextBid: 1000 });
    expect(noReserve.body.startsAt).toBe(auction.startsAt);
  });

  it("refuses the other format's fields and a change of format with 400, after 404 and 403", async () => {
    const seller = await t.signUp('seller');
    const other = await t.signUp('other');
    const auction = (await create(seller.token, english())).body;
    const dutch = await t.createAuction(seller.token);
    expectInvalid(await patch(auction.id, seller.token, { stock: 5 }), 'stock');
    expectInvalid(await patch(auction.id, seller.token, { format: 'dutch' }), 'format');
    expectInvalid(await patch(dutch.id, seller.token, { minIncrement: 5 }), 'minIncrement');
    expectInvalid(await patch(dutch.id, seller.token, { format: 'english' }), 'format');
    expect((await patch(auction.id, seller.token, { format: 'english', title: 'Same format' })).status).toBe(200);
    const unknown = '01900000-0000-7000-8000-000000000000';
    expect((await patch(unknown, seller.token, { stock: 5 })).status).toBe(404);
    expect((await patch(auction.id, other.token, { stock: 5 })).status).toBe(403);
    const after = await get(auction.id, seller.token);
    expect(after.body).toMatchObject({ format: 'english', title: 'Same format', minIncrement: 50 });
  });

  it('edits and deletes only while scheduled', async () => {
    const seller = await t.signUp('seller');
    const gone = (await create(seller.token, english())).body;
    expect((await t.request('DELETE', `/auctions/${gone.id}`, { token: seller.token })).status).toBe(204);
    expect((await get(gone.id)).status).toBe(404);
    const started = (await create(seller.token, english())).body;
    t.travel(Date.parse(started.startsAt) - t.now() + 1);
    const edit = await patch(started.id, seller.token, { title: 'Too late' });
    expect([edit.status, edit.body.error.code]).toEqual([409, 'AUCTION_ALREADY_STARTED']);
    const withdraw = await t.request('DELETE', `/auctions/${started.id}`, { token: seller.token });
    expect([withdraw.status, withdraw.body.error.code]).toEqual([409, 'AUCTION_ALREADY_STARTED']);
    expect((await get(started.id)).body.status).toBe('running');
  });
});

describe('GET /auctions with both formats', () => {
  it('filters by format, shows each in its own view, and hides the reserve from all but the seller', async () => {
    const seller = await t.signUp('lister');
    const lead = 10 * 24 * 3_600_000 + Math.floor(Math.random() * 1_000_000) * 1000;
    const englishOne = (await create(seller.token, english({ reservePrice: 777_777 }, lead))).body;
    const dutchOne = await t.createAuction(seller.token, { startsIn: lead });
    const list = async (query: string, token?: string) =>
      (await t.request('GET', `/auctions?${query}&limit=100`, token === undefined ? {} : { token })).body.items as {
        id: string;
        format: string;
        reservePrice?: number;
      }[];

    const englishOnly = await list('format=english&status=scheduled&sort=-startsAt');
    expect(englishOnly.every((item) => item.format === 'english')).toBe(true);
    expect(englishOnly.map((item) => item.id)).toContain(englishOne.id);
    const dutchOnly = await list('format=dutch&status=scheduled&sort=-startsAt');
    expect(dutchOnly.every((item) => item.format === 'dutch')).toBe(true);
    expect(dutchOnly.map((item) => item.id)).toContain(dutchOne.id);

    const anonymous = await list('status=scheduled&sort=-startsAt');
    expect(anonymous.map((item) => item.id)).toEqual(expect.arrayContaining([englishOne.id, dutchOne.id]));
    expect(JSON.stringify(anonymous)).not.toContain('777777');
    const mine = (await list('format=english&status=scheduled&sort=-startsAt', seller.token)).find(
      (item) => item.id === englishOne.id,
    );
    expect(mine?.reservePrice).toBe(777_777);

    const refused = await t.request('GET', '/auctions?format=sealed');
    expect([refused.status, refused.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(refused.body.error.message).toContain('format');
  });
});
