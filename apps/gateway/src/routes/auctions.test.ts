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
const UNKNOWN = '01900000-0000-7000-8000-000000000000';
const iso = (ms: number) => new Date(ms).toISOString();

/** A valid create body starting `lead` ms from the gateway's now: 1000, -100 every 60 s, 10 minutes. */
function body(overrides: Record<string, unknown> = {}, lead = 60_000) {
  const startsAt = t.now() + lead;
  return {
    title: 'Vintage camera',
    startPrice: 1000,
    priceDrop: { kind: 'constant', amount: 100 },
    dropIntervalSeconds: 60,
    startsAt: iso(startsAt),
    endsAt: iso(startsAt + 600_000),
    stock: 10,
    perBuyerLimit: 5,
    ...overrides,
  };
}

/** A 400 INVALID_REQUEST that names `field` in its message and in its details. */
function expectInvalid(reply: Reply, field: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(400);
  expect(reply.body.error.code).toBe('INVALID_REQUEST');
  expect(reply.body.error.message).toContain(field);
  expect(reply.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
}

function expectError(reply: Reply, status: number, code: string) {
  expect([reply.status, reply.body?.error?.code], JSON.stringify(reply.body)).toEqual([status, code]);
}

/** Moves the clock to just after the auction's start. */
function travelToStart(auction: { startsAt: string }, past = 1) {
  t.travel(Date.parse(auction.startsAt) - t.now() + past);
}

const get = (id: string, token?: string) => t.request('GET', `/auctions/${id}`, token === undefined ? {} : { token });

describe('POST /auctions', () => {
  it('answers 201 with the full view and a Location header', async () => {
    const seller = await t.signUp('seller');
    const sent = body({ description: 'A Leica M3', floorPrice: 300 });
    const before = t.now();
    const reply = await t.request('POST', '/auctions', { token: seller.token, body: sent });
    expect(reply.status).toBe(201);
    const startsAt = Date.parse(sent.startsAt);
    expect(reply.body).toEqual({
      id: expect.stringMatching(UUID),
      sellerId: seller.id,
      title: 'Vintage camera',
      description: 'A Leica M3',
      format: 'dutch',
      pricing: 'pay_as_bid',
      startPrice: 1000,
      floorPrice: 300,
      priceDrop: { kind: 'constant', amount: 100 },
      dropIntervalSeconds: 60,
      startsAt: sent.startsAt,
      endsAt: sent.endsAt,
      status: 'scheduled',
      currentPrice: 1000,
      nextPrice: 900,
      nextDropAt: iso(startsAt + 60_000),
      stock: 10,
      initialStock: 10,
      soldCount: 0,
      perBuyerLimit: 5,
      showStock: true,
      closedAt: null,
      clearingPrice: null,
      createdAt: expect.any(String),
      serverTime: expect.any(String),
    });
    const serverTime = Date.parse(reply.body.serverTime);
    expect(serverTime).toBeGreaterThanOrEqual(before);
    expect(serverTime).toBeLessThanOrEqual(t.now());
    expect(reply.headers.get('location')).toBe(`/auctions/${reply.body.id}`);

    const read = await get(reply.body.id);
    expect(read.status).toBe(200);
    expect({ ...read.body, serverTime: null }).toEqual({ ...reply.body, serverTime: null });
  });

  it('defaults description to empty, floorPrice to null and showStock to true', async () => {
    const seller = await t.signUp();
    const reply = await t.request('POST', '/auctions', { token: seller.token, body: body() });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ description: '', floorPrice: null, showStock: true, stock: 10 });
  });

  it('accepts a start a moment in the past (clock skew) and is running at once', async () => {
    const seller = await t.signUp();
    const reply = await t.request('POST', '/auctions', { token: seller.token, body: body({}, -2_000) });
    expect(reply.status).toBe(201);
    expect(reply.body.status).toBe('running');
  });

  it('accepts the longest auction (3600 s) and an interval equal to the duration', async () => {
    const seller = await t.signUp();
    const start = t.now() + 60_000;
    const longest = await t.request('POST', '/auctions', {
      token: seller.token,
      body: body({ endsAt: iso(start + 3_600_000), startsAt: iso(start), dropIntervalSeconds: 3600 }),
    });
    expect(longest.status).toBe(201);
    // One step only: nothing ever drops.
    expect(longest.body).toMatchObject({ currentPrice: 1000, nextPrice: null, nextDropAt: null });
  });

  it('answers 401 without a token, before looking at the body', async () => {
    expectError(await t.request('POST', '/auctions', { body: body() }), 401, 'UNAUTHENTICATED');
    expectError(await t.request('POST', '/auctions', { body: { nonsense: true } }), 401, 'UNAUTHENTICATED');
  });

  describe('refuses each rule with 400 INVALID_REQUEST naming its field, and creates nothing', () => {
    const start = () => t.now() + 60_000;
    const cases: [string, string, () => Record<string, unknown>][] = [
      ['duration over 3600 s', 'endsAt', () => ({ startsAt: iso(start()), endsAt: iso(start() + 3_660_000) })],
      ['duration not whole seconds', 'endsAt', () => ({ startsAt: iso(start()), endsAt: iso(start() + 600_500) })],
      ['endsAt before startsAt', 'endsAt', () => ({ startsAt: iso(start()), endsAt: iso(start() - 60_000) })],
      ['endsAt equal to startsAt', 'endsAt', () => ({ startsAt: iso(start()), endsAt: iso(start()) })],
      ['interval not dividing the duration', 'dropIntervalSeconds', () => ({ dropIntervalSeconds: 70 })],
      ['interval 0', 'dropIntervalSeconds', () => ({ dropIntervalSeconds: 0 })],
      ['interval not whole', 'dropIntervalSeconds', () => ({ dropIntervalSeconds: 1.5 })],
      [
        'startsAt in the past beyond the skew',
        'startsAt',
        () => ({ startsAt: iso(t.now() - 10_000), endsAt: iso(t.now() + 590_000) }),
      ],
      ['floor equal to start', 'floorPrice', () => ({ floorPrice: 1000 })],
      ['floor above start', 'floorPrice', () => ({ floorPrice: 1500 })],
      ['floor 0', 'floorPrice', () => ({ floorPrice: 0 })],
      ['percent 0', 'priceDrop.percent', () => ({ priceDrop: { kind: 'percentage', percent: 0 } })],
      ['percent 51', 'priceDrop.percent', () => ({ priceDrop: { kind: 'percentage', percent: 51 } })],
      ['percent not whole', 'priceDrop.percent', () => ({ priceDrop: { kind: 'percentage', percent: 10.5 } })],
      ['constant amount 0', 'priceDrop.amount', () => ({ priceDrop: { kind: 'constant', amount: 0 } })],
      ['unknown drop kind', 'priceDrop.kind', () => ({ priceDrop: { kind: 'linear', amount: 5 } })],
      // 1000 - 10 * 100 = 0 at the 11th step (660 s / 60 s), and there is no floor.
      [
        'constant last step at 0 without floor',
        'priceDrop',
        () => {
          // One reading of the clock: two could straddle a millisecond, and the duration would not be whole seconds.
          const at = start();
          return { startsAt: iso(at), endsAt: iso(at + 660_000) };
        },
      ],
      // 10, 5, 2, 1, 0, ...: 50% a minute reaches 0 long before the tenth step.
      [
        'percentage last step below 1 without floor',
        'priceDrop',
        () => ({ startPrice: 10, priceDrop: { kind: 'percentage', percent: 50 } }),
      ],
      ['startPrice 0', 'startPrice', () => ({ startPrice: 0 })],
      ['startPrice not whole', 'startPrice', () => ({ startPrice: 99.5 })],
      ['stock 0', 'stock', () => ({ stock: 0 })],
      ['perBuyerLimit above stock', 'perBuyerLimit', () => ({ stock: 3, perBuyerLimit: 4 })],
      ['perBuyerLimit 0', 'perBuyerLimit', () => ({ perBuyerLimit: 0 })],
      ['startPrice as a string', 'startPrice', () => ({ startPrice: '1000' })],
      ['stock as a string', 'stock', () => ({ stock: '10' })],
      ['title as a number', 'title', () => ({ title: 42 })],
      ['showStock as a string', 'showStock', () => ({ showStock: 'yes' })],
      ['floorPrice as a string', 'floorPrice', () => ({ floorPrice: '300' })],
      ['an unknown field', 'sellerId', () => ({ sellerId: UNKNOWN })],
      [
        'an unknown field inside priceDrop',
        'priceDrop.x',
        () => ({ priceDrop: { kind: 'constant', amount: 5, x: 1 } }),
      ],
      ['startsAt not ISO', 'startsAt', () => ({ startsAt: 'tomorrow' })],
      ['startsAt as epoch ms', 'startsAt', () => ({ startsAt: start() })],
      ['startsAt on 30 February', 'startsAt', () => ({ startsAt: '2031-02-30T10:00:00Z' })],
      ['endsAt without an offset', 'endsAt', () => ({ endsAt: '2031-01-01T10:00:00' })],
      ['endsAt month 13', 'endsAt', () => ({ endsAt: '2031-13-01T10:00:00Z' })],
      // Finer than a millisecond would be cut off before the whole-second rule sees it.
      ['endsAt in microseconds', 'endsAt', () => ({ endsAt: '2031-01-01T10:00:00.000500Z' })],
      ['missing title', 'title', () => ({ title: undefined })],
      ['missing priceDrop', 'priceDrop', () => ({ priceDrop: undefined })],
      ['empty title', 'title', () => ({ title: '   ' })],
    ];
    it.each(cases)('%s -> names %s', async (_, field, overrides) => {
      const seller = await t.signUp();
      const reply = await t.request('POST', '/auctions', { token: seller.token, body: body(overrides()) });
      expectInvalid(reply, field);
      expect(await t.db.sql`select 1 from auctions where seller_id = ${seller.id}`).toHaveLength(0);
    });
  });

  it('reports every broken rule at once', async () => {
    const seller = await t.signUp();
    const reply = await t.request('POST', '/auctions', {
      token: seller.token,
      body: body({ floorPrice: 2000, stock: 2, perBuyerLimit: 3, dropIntervalSeconds: 70 }),
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'dropIntervalSeconds',
      'floorPrice',
      'perBuyerLimit',
    ]);
  });

  it('refuses malformed JSON, a non-JSON body and one over 64 KB', async () => {
    const seller = await t.signUp();
    const malformed = await t.request('POST', '/auctions', {
      token: seller.token,
      body: '{"title": "x",',
      headers: { 'content-type': 'application/json' },
    });
    expectError(malformed, 400, 'INVALID_REQUEST');
    const text = await t.request('POST', '/auctions', {
      token: seller.token,
      body: 'title=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect([400, 415]).toContain(text.status);
    expect(text.body.error.code).toMatch(/^(INVALID_REQUEST|UNSUPPORTED_MEDIA_TYPE)$/);
    const huge = await t.request('POST', '/auctions', {
      token: seller.token,
      body: body({ description: 'x'.repeat(70_000) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 64 KB.' },
    });
    expect(await t.db.sql`select 1 from auctions where seller_id = ${seller.id}`).toHaveLength(0);
  });
});

describe('GET /auctions/:id', () => {
  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expectError(await get(UNKNOWN), 404, 'NOT_FOUND');
    const bad = await get('not-a-uuid');
    expectInvalid(bad, 'id');
  });

  it('answers 401 for a bad token even though the read is public', async () => {
    const seller = await t.signUp();
    const auction = await t.createAuction(seller.token);
    expectError(await get(auction.id, 'not-a-token'), 401, 'UNAUTHENTICATED');
  });

  it('hides stock and initialStock when showStock is false, except from the seller', async () => {
    const seller = await t.signUp('seller');
    const other = await t.signUp('other');
    const auction = await t.createAuction(seller.token, { showStock: false, stock: 7 });
    expect(auction).toMatchObject({ showStock: false, stock: 7, initialStock: 7 });

    for (const token of [undefined, other.token]) {
      const reply = await get(auction.id, token);
      expect(reply.status).toBe(200);
      expect(reply.body).not.toHaveProperty('stock');
      expect(reply.body).not.toHaveProperty('initialStock');
      expect(reply.body).not.toHaveProperty('soldCount');
    }
    const mine = await get(auction.id, seller.token);
    expect(mine.body).toMatchObject({ stock: 7, initialStock: 7 });

    const shown = await t.createAuction(seller.token, { stock: 4, perBuyerLimit: 2 });
    expect((await get(shown.id)).body).toMatchObject({ stock: 4, initialStock: 4 });
    expect((await get(shown.id, other.token)).body).toMatchObject({ stock: 4, initialStock: 4 });
  });

  it('follows the schedule: prices per step, nextPrice and nextDropAt null in the last step and after the end', async () => {
    const seller = await t.signUp();
    const auction = await t.createAuction(seller.token, { floorPrice: 350 });
    const startsAt = Date.parse(auction.startsAt);
    // 1000, 900, ..., 400, then 350 (floor) for the last three steps.
    const expected = [1000, 900, 800, 700, 600, 500, 400, 350, 350, 350];
    for (let step = 0; step < 10; step++) {
      t.travel(startsAt + step * 60_000 + 500 - t.now());
      const view = (await get(auction.id)).body;
      expect(view.status).toBe('running');
      expect(view.currentPrice).toBe(expected[step]);
      if (step < 9) {
        expect(view.nextPrice).toBe(expected[step + 1]);
        expect(view.nextDropAt).toBe(iso(startsAt + (step + 1) * 60_000));
      } else {
        expect(view.nextPrice).toBeNull();
        expect(view.nextDropAt).toBeNull();
      }
    }
    t.travel(Date.parse(auction.endsAt) - t.now() + 1);
    const ended = (await get(auction.id)).body;
    expect(ended).toMatchObject({ status: 'ended', currentPrice: 350, nextPrice: null, nextDropAt: null });
  });

  it('goes scheduled -> running -> sold_out -> ended', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 10_000);
    const auction = await t.createAuction(seller.token, { stock: 3, perBuyerLimit: 3 });
    const status = async () => (await get(auction.id)).body.status;
    expect(await status()).toBe('scheduled');

    travelToStart(auction);
    expect(await status()).toBe('running');

    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 3, maxPrice: 1000 },
    });
    expect(bid.status).toBe(202);
    // Accepted but not settled: the stock is still there.
    expect(await status()).toBe('running');
    await t.settle();
    const soldOut = (await get(auction.id)).body;
    expect(soldOut).toMatchObject({ status: 'sold_out', stock: 0, initialStock: 3, soldCount: 3 });

    t.travel(Date.parse(auction.endsAt) - t.now());
    expect(await status()).toBe('ended');
  });

  it('is ended from endsAt on even with stock left', async () => {
    const seller = await t.signUp();
    const auction = await t.createAuction(seller.token);
    t.travel(Date.parse(auction.endsAt) - t.now() + 10);
    expect((await get(auction.id)).body).toMatchObject({ status: 'ended', stock: 10 });
  });
});

describe('PATCH /auctions/:id', () => {
  it('merges a partial change, recomputes the schedule, and keeps the rest', async () => {
    const seller = await t.signUp();
    const auction = await t.createAuction(seller.token, { description: 'old' });
    const reply = await t.request('PATCH', `/auctions/${auction.id}`, {
      token: seller.token,
      body: { startPrice: 2000, priceDrop: { kind: 'constant', amount: 150 } },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: auction.id,
      title: auction.title,
      description: 'old',
      startPrice: 2000,
      priceDrop: { kind: 'constant', amount: 150 },
      startsAt: auction.startsAt,
      endsAt: auction.endsAt,
      currentPrice: 2000,
      nextPrice: 1850,
      status: 'scheduled',
    });
    const [row] = await t.db.sql`select price_steps from auctions where id = ${auction.id}`;
    expect(row?.price_steps).toEqual([2000, 1850, 1700, 1550, 1400, 1250, 1100, 950, 800, 650]);

    // The new schedule is what bids pay.
    const buyer = await t.signUp('buyer', 100_000);
    travelToStart(auction, 60_500);
    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 1, maxPrice: 5000 },
    });
    expect(bid.body.unitPrice).toBe(1850);
  });

  it('moves the window and recomputes the steps; floorPrice null removes the floor', async () => {
    const seller = await t.signUp();
    const auction = await t.createAuction(seller.token, { floorPrice: 500 });
    const startsAt = t.now() + 120_000;
    const reply = await t.request('PATCH', `/auctions/${auction.id}`, {
      token: seller.token,
      body: {
        startsAt: iso(startsAt),
        endsAt: iso(startsAt + 300_000),
        dropIntervalSeconds: 30,
        floorPrice: null,
        showStock: false,
        title: 'Renamed',
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      title: 'Renamed',
      floorPrice: null,
      showStock: false,
      stock: 10,
      dropIntervalSeconds: 30,
      nextDropAt: iso(startsAt + 30_000),
    });
    const [row] = await t.db.sql`select price_steps from auctions where id = ${auction.id}`;
    expect(row?.price_steps).toEqual([1000, 900, 800, 700, 600, 500, 400, 300, 200, 100]);
  });

  it('changes stock and initialStock together', async () => {
    const seller = await t.signUp();
    const auction = await t.createAuction(seller.token);
    const reply = await t.request('PATCH', `/auctions/${auction.id}`, {
      token: seller.token,
      body: { stock: 20, perBuyerLimit: 20 },
    });
    expect(reply.body).toMatchObject({ stock: 20, initialStock: 20, perBuyerLimit: 20, soldCount: 0 });
  });

  it('validates the merged whole: a field that was fine alone can break another rule', async () => {
    const seller = await t.signUp();
    const auction = await t.createAuction(seller.token, { floorPrice: 500 });
    const patch = (body: unknown) => t.request('PATCH', `/auctions/${auction.id}`, { token: seller.token, body });
    // perBuyerLimit is 5: stock 3 breaks it.
    expectInvalid(await patch({ stock: 3 }), 'perBuyerLimit');
    // The duration is 600 s.
    expectInvalid(await patch({ dropIntervalSeconds: 70 }), 'dropIntervalSeconds');
    // The floor is 500.
    expectInvalid(await patch({ startPrice: 400 }), 'floorPrice');
    // Without the floor, 1000 - 9 * 120 < 1.
    expectInvalid(await patch({ floorPrice: null, priceDrop: { kind: 'constant', amount: 120 } }), 'priceDrop');
    expectInvalid(await patch({ endsAt: iso(Date.parse(auction.startsAt) + 3_660_000) }), 'endsAt');
    expectInvalid(await patch({ startsAt: iso(t.now() - 60_000) }), 'startsAt');
    expectInvalid(await patch({ nonsense: 1 }), 'nonsense');
    expectInvalid(await patch({ stock: 'ten' }), 'stock');
    // Nothing changed.
    const after = (await get(auction.id, seller.token)).body;
    expect({ ...after, serverTime: null }).toEqual({ ...auction, serverTime: null });
  });

  it('accepts an empty patch as no change', async () => {
    const seller = await t.signUp();
    const auction = await t.createAuction(seller.token);
    const reply = await t.request('PATCH', `/auctions/${auction.id}`, { token: seller.token, body: {} });
    expect(reply.status).toBe(200);
    expect({ ...reply.body, serverTime: null }).toEqual({ ...auction, serverTime: null });
  });

  it('answers 401, 400, 404, 403 and 409 in the contract order', async () => {
    const seller = await t.signUp('seller');
    const other = await t.signUp('other');
    const auction = await t.createAuction(seller.token);
    const patch = (id: string, token: string | undefined, body: unknown) =>
      t.request('PATCH', `/auctions/${id}`, token === undefined ? { body } : { token, body });

    expectError(await patch(auction.id, undefined, { title: 'x' }), 401, 'UNAUTHENTICATED');
    expectError(await patch(UNKNOWN, undefined, { title: 42 }), 401, 'UNAUTHENTICATED');
    expectInvalid(await patch('nope', other.token, { title: 'x' }), 'id');
    expectInvalid(await patch(UNKNOWN, other.token, { title: 42 }), 'title');
    expectError(await patch(UNKNOWN, other.token, { title: 'x' }), 404, 'NOT_FOUND');
    expectError(await patch(auction.id, other.token, { title: 'x' }), 403, 'FORBIDDEN');

    travelToStart(auction);
    expectError(await patch(auction.id, other.token, { title: 'x' }), 403, 'FORBIDDEN');
    expectError(await patch(auction.id, seller.token, { title: 'x' }), 409, 'AUCTION_ALREADY_STARTED');
    t.travel(600_000);
    expectError(await patch(auction.id, seller.token, { title: 'x' }), 409, 'AUCTION_ALREADY_STARTED');
    expect((await get(auction.id)).body.title).toBe(auction.title);
  });
});

describe('DELETE /auctions/:id', () => {
  it('answers 204, then the auction is gone for reads, bids, changes and lists', async () => {
    const seller = await t.signUp();
    const auction = await t.createAuction(seller.token);
    const deleted = await t.request('DELETE', `/auctions/${auction.id}`, { token: seller.token });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expectError(await get(auction.id), 404, 'NOT_FOUND');
    expectError(await get(auction.id, seller.token), 404, 'NOT_FOUND');
    expectError(await t.request('DELETE', `/auctions/${auction.id}`, { token: seller.token }), 404, 'NOT_FOUND');
    expectError(
      await t.request('PATCH', `/auctions/${auction.id}`, { token: seller.token, body: { title: 'back' } }),
      404,
      'NOT_FOUND',
    );
    const buyer = await t.signUp('buyer', 10_000);
    travelToStart(auction);
    expectError(
      await t.request('POST', `/auctions/${auction.id}/bids`, {
        token: buyer.token,
        body: { quantity: 1, maxPrice: 1000 },
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('answers 403 to another member and 409 once started, and keeps the auction', async () => {
    const seller = await t.signUp('seller');
    const other = await t.signUp('other');
    const auction = await t.createAuction(seller.token);
    expectError(await t.request('DELETE', `/auctions/${auction.id}`), 401, 'UNAUTHENTICATED');
    expectError(await t.request('DELETE', `/auctions/${auction.id}`, { token: other.token }), 403, 'FORBIDDEN');
    expectError(await t.request('DELETE', `/auctions/${UNKNOWN}`, { token: other.token }), 404, 'NOT_FOUND');
    expectInvalid(await t.request('DELETE', '/auctions/123', { token: other.token }), 'id');
    travelToStart(auction);
    expectError(
      await t.request('DELETE', `/auctions/${auction.id}`, { token: seller.token }),
      409,
      'AUCTION_ALREADY_STARTED',
    );
    expect((await get(auction.id)).body.status).toBe('running');
  });
});

describe('percentage drops, end to end', () => {
  it('floors at every step, clamps at the floor, and charges the step price', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 100_000);
    const auction = await t.createAuction(seller.token, {
      startPrice: 1000,
      floorPrice: 600,
      priceDrop: { kind: 'percentage', percent: 15 },
    });
    expect(auction).toMatchObject({
      priceDrop: { kind: 'percentage', percent: 15 },
      currentPrice: 1000,
      nextPrice: 850,
    });
    // 1000, 850, 722 (722.5 floored), 613 (613.7), then 521 would be below 600.
    const expected = [1000, 850, 722, 613, 600, 600, 600, 600, 600, 600];
    const startsAt = Date.parse(auction.startsAt);
    for (let step = 0; step < 10; step++) {
      t.travel(startsAt + step * 60_000 + 1_000 - t.now());
      const view = (await get(auction.id)).body;
      expect([step, view.currentPrice, view.nextPrice]).toEqual([step, expected[step], expected[step + 1] ?? null]);
    }
    // Buy during step 3 at 613.
    t.travel(startsAt + 3 * 60_000 + 1_000 - t.now());
    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 2, maxPrice: 613 },
    });
    expect(bid.status).toBe(202);
    expect(bid.body.unitPrice).toBe(613);
    await t.settle();
    const receipt = await t.request('GET', `/receipts/${bid.body.receiptId}`, { token: buyer.token });
    expect(receipt.body).toMatchObject({ status: 'PURCHASED', unitPrice: 613, total: 1226 });
    expect((await t.request('GET', '/members/me', { token: buyer.token })).body.points).toBe(100_000 - 1226);
    expect((await t.request('GET', '/members/me', { token: seller.token })).body.points).toBe(1226);
  });

  it('without a floor: accepted while the last step stays >= 1, refused once it would reach 0', async () => {
    const seller = await t.signUp();
    const start = t.now() + 60_000;
    const send = (startPrice: number, steps: number) =>
      t.request('POST', '/auctions', {
        token: seller.token,
        body: body({
          startPrice,
          priceDrop: { kind: 'percentage', percent: 50 },
          startsAt: iso(start),
          endsAt: iso(start + steps * 60_000),
        }),
      });
    // 16, 8, 4, 2, 1: five steps end at 1.
    const ok = await send(16, 5);
    expect(ok.status).toBe(201);
    const [row] = await t.db.sql`select price_steps from auctions where id = ${ok.body.id}`;
    expect(row?.price_steps).toEqual([16, 8, 4, 2, 1]);
    expectInvalid(await send(16, 6), 'priceDrop');
    // With a floor of 1 the same schedule is fine and stays at 1.
    const floored = await t.request('POST', '/auctions', {
      token: seller.token,
      body: body({
        startPrice: 16,
        floorPrice: 1,
        priceDrop: { kind: 'percentage', percent: 50 },
        startsAt: iso(start),
        endsAt: iso(start + 8 * 60_000),
        stock: 1,
        perBuyerLimit: 1,
      }),
    });
    expect(floored.status).toBe(201);
    const [steps] = await t.db.sql`select price_steps from auctions where id = ${floored.body.id}`;
    expect(steps?.price_steps).toEqual([16, 8, 4, 2, 1, 1, 1, 1]);
  });
});
