import { auctions, termsOf } from '@dutch/db';
import { type AuctionStatus, priceAt, statusAt } from '@dutch/domain';
import { type Reply, startTestGateway, type TestGateway } from '@dutch/testkit';
import { isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestGateway;
let seller: { id: string; token: string };
let buyer: { id: string; token: string };

const STATUSES: AuctionStatus[] = ['scheduled', 'running', 'sold_out', 'ended'];
const SORTS = ['startsAt', '-startsAt', 'currentPrice', '-currentPrice'] as const;
type Sort = (typeof SORTS)[number];
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * About sixty auctions in every status: some ended, some running (a few sold out, one
 * half sold), some still scheduled; prices, starts and intervals vary and repeat, so sort
 * keys tie and the id breaks the ties.
 */
beforeAll(async () => {
  t = await startTestGateway();
  seller = await t.signUp('seller');
  buyer = await t.signUp('buyer', 1_000_000);
  const base = t.now() + 60_000;
  const creations: Promise<unknown>[] = [];
  for (let i = 0; i < 48; i++) {
    const startsAt = base + (i % 8) * 30_000;
    const duration = [60_000, 120_000, 600_000, 3_600_000][i % 4] as number;
    const interval = [1, 10, 60, 30][i % 4] as number;
    creations.push(
      t.createAuction(seller.token, {
        title: `lot ${i}`,
        startPrice: [500, 1000, 1000, 750, 2000, 500][i % 6],
        priceDrop:
          i % 5 === 0 ? { kind: 'percentage', percent: 1 + (i % 7) } : { kind: 'constant', amount: 1 + (i % 3) },
        floorPrice: 100,
        dropIntervalSeconds: interval,
        startsAt: iso(startsAt),
        endsAt: iso(startsAt + duration),
      }),
    );
  }
  await Promise.all(creations);
  // Sold out: four long auctions whose whole stock is bought; one half sold.
  const sellOut = [];
  for (let i = 0; i < 5; i++) {
    sellOut.push(
      await t.createAuction(seller.token, {
        title: `sell-out ${i}`,
        stock: 2,
        perBuyerLimit: 2,
        startsAt: iso(base),
        endsAt: iso(base + 3_600_000),
        dropIntervalSeconds: 600,
      }),
    );
  }
  // 3.5 minutes in: the 60 s and 120 s auctions that started first have ended, the last starts are ahead.
  t.travel(base + 150_000 - t.now());
  for (const [i, auction] of sellOut.entries()) {
    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: i === 4 ? 1 : 2, maxPrice: 1000 },
    });
    expect(bid.status).toBe(202);
  }
  await t.settle();
});
afterAll(async () => {
  await t.close();
});

interface Listed {
  readonly ids: string[];
  readonly pages: Reply[];
  readonly asOf: number;
}

/** Follows nextCursor to the end; asOf is the first page's serverTime, the instant the listing pins. */
async function walk(query: Record<string, string>, token?: string): Promise<Listed> {
  const pages: Reply[] = [];
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const params: URLSearchParams = new URLSearchParams(cursor === null ? query : { ...query, cursor });
    const reply: Reply = await t.request('GET', `/auctions?${params}`, token === undefined ? {} : { token });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    pages.push(reply);
    ids.push(...reply.body.items.map((item: { id: string }) => item.id));
    cursor = reply.body.nextCursor;
    expect(pages.length).toBeLessThan(500);
  } while (cursor !== null);
  const first = pages[0]?.body.items[0];
  return { ids, pages, asOf: first === undefined ? t.now() : Date.parse(first.serverTime) };
}

/** What the listing should be, from the table and the domain's own rules at asOf. */
async function expected(asOf: number, sort: Sort, status?: AuctionStatus): Promise<string[]> {
  const rows = await t.db.db.select().from(auctions).where(isNull(auctions.deletedAt));
  const keyed = rows
    .map((row) => {
      const terms = termsOf(row);
      return {
        id: row.id,
        status: statusAt(terms, asOf, row.stock),
        key: sort.endsWith('currentPrice') ? priceAt(terms, asOf) : terms.startsAt,
      };
    })
    .filter((row) => status === undefined || row.status === status);
  const sign = sort.startsWith('-') ? -1 : 1;
  keyed.sort((a, b) => sign * (a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  return keyed.map((row) => row.id);
}

function expectInvalid(reply: Reply, field: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(400);
  expect(reply.body.error.code).toBe('INVALID_REQUEST');
  expect(reply.body.error.message).toContain(field);
}

describe('GET /auctions', () => {
  it('has auctions in all four statuses to list', async () => {
    const { ids, asOf } = await walk({ limit: '100' });
    const all = await expected(asOf, 'startsAt');
    expect(ids).toEqual(all);
    const rows = await t.db.db.select().from(auctions);
    const counts: Record<string, number> = Object.fromEntries(STATUSES.map((s) => [s, 0]));
    for (const row of rows) {
      const status = statusAt(termsOf(row), asOf, row.stock);
      counts[status] = (counts[status] ?? 0) + 1;
    }
    for (const status of STATUSES) expect(counts[status], status).toBeGreaterThanOrEqual(4);
  });

  it.each(STATUSES)('filters status=%s, and every item shows that status', async (status) => {
    const { ids, pages, asOf } = await walk({ status, limit: '7' });
    expect(ids).toEqual(await expected(asOf, 'startsAt', status));
    expect(ids.length).toBeGreaterThan(0);
    for (const item of pages[0]?.body.items ?? []) expect(item.status).toBe(status);
  });

  it.each(SORTS)('sorts by %s, paging visits each auction exactly once and in order', async (sort) => {
    const { ids, pages, asOf } = await walk({ sort, limit: '6' });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(await expected(asOf, sort));
    expect(pages.length).toBe(Math.ceil(ids.length / 6));
    for (const page of pages.slice(0, -1)) {
      expect(page.body.items).toHaveLength(6);
      expect(typeof page.body.nextCursor).toBe('string');
    }
    expect(pages.at(-1)?.body.nextCursor).toBeNull();
    // The first page is computed at its serverTime: its own prices are in order.
    const firstKeys = (pages[0]?.body.items ?? []).map((item: { currentPrice: number; startsAt: string }) =>
      sort.endsWith('currentPrice') ? item.currentPrice : Date.parse(item.startsAt),
    );
    const sorted = [...firstKeys].sort((a, b) => (sort.startsWith('-') ? b - a : a - b));
    expect(firstKeys).toEqual(sorted);
  });

  it.each(SORTS.flatMap((sort) => STATUSES.map((status) => [sort, status] as const)))(
    'sort=%s with status=%s, one item per page',
    async (sort, status) => {
      const { ids, pages, asOf } = await walk({ sort, status, limit: '1' });
      expect(ids).toEqual(await expected(asOf, sort, status));
      expect(pages).toHaveLength(Math.max(1, ids.length));
    },
  );

  it('sorts by startsAt unless told, 20 to a page', async () => {
    const first = await t.request('GET', '/auctions');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(20);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const asOf = Date.parse(first.body.items[0].serverTime);
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual(
      (await expected(asOf, 'startsAt')).slice(0, 20),
    );
    const next = await t.request('GET', `/auctions?cursor=${first.body.nextCursor}`);
    expect(next.body.items.map((item: { id: string }) => item.id)).toEqual(
      (await expected(asOf, 'startsAt')).slice(20, 40),
    );
  });

  it('answers the whole list on one page with limit=100, and nextCursor null', async () => {
    const reply = await t.request('GET', '/auctions?limit=100');
    expect(reply.status).toBe(200);
    const count = (await t.db.sql`select count(*)::int as n from auctions where deleted_at is null`)[0]?.n;
    expect(reply.body.items).toHaveLength(count);
    expect(reply.body.nextCursor).toBeNull();
    // Exactly a page's worth: the last page still says null.
    const exact = await t.request('GET', `/auctions?limit=${count}`);
    expect(exact.body.items).toHaveLength(count);
    expect(exact.body.nextCursor).toBeNull();
    const oneShort = await t.request('GET', `/auctions?limit=${count - 1}`);
    const last = await t.request('GET', `/auctions?limit=${count - 1}&cursor=${oneShort.body.nextCursor}`);
    expect(last.body.items).toHaveLength(1);
    expect(last.body.nextCursor).toBeNull();
  });

  it('an empty filter answers an empty page', async () => {
    const fresh = await startTestGateway();
    try {
      const reply = await fresh.request('GET', '/auctions?status=running');
      expect(reply.body).toEqual({ items: [], nextCursor: null });
    } finally {
      await fresh.close();
    }
  });

  it.each(['0', '101', '-1', '1.5', 'abc', '', '1000'])('refuses limit=%s with 400 naming limit', async (limit) => {
    expectInvalid(await t.request('GET', `/auctions?limit=${limit}`), 'limit');
  });

  it.each([
    ['status', 'status=open'],
    ['status', 'status=RUNNING'],
    ['sort', 'sort=price'],
    ['sort', 'sort=-title'],
    ['page', 'page=2'],
  ])('refuses a bad %s with 400', async (field, query) => {
    expectInvalid(await t.request('GET', `/auctions?${query}`), field);
  });

  it('refuses a garbage cursor, a tampered one, and one from another sort', async () => {
    const first = await t.request('GET', '/auctions?sort=currentPrice&limit=3');
    const cursor = first.body.nextCursor as string;
    expect((await t.request('GET', `/auctions?sort=currentPrice&limit=3&cursor=${cursor}`)).status).toBe(200);

    expectInvalid(await t.request('GET', '/auctions?cursor=garbage'), 'cursor');
    expectInvalid(await t.request('GET', '/auctions?cursor=%7B%7D'), 'cursor');
    expectInvalid(await t.request('GET', `/auctions?cursor=${'A'.repeat(600)}`), 'cursor');
    const tampered = Buffer.from(JSON.stringify({ sort: 'currentPrice', asOf: 'now', key: 1, id: 'x' })).toString(
      'base64url',
    );
    expectInvalid(await t.request('GET', `/auctions?sort=currentPrice&cursor=${tampered}`), 'cursor');
    for (const other of ['startsAt', '-startsAt', '-currentPrice']) {
      expectInvalid(await t.request('GET', `/auctions?sort=${other}&limit=3&cursor=${cursor}`), 'cursor');
    }
    // No sort means startsAt, which is not where this cursor came from either.
    expectInvalid(await t.request('GET', `/auctions?limit=3&cursor=${cursor}`), 'cursor');
  });

  it('never lists deleted auctions, even one deleted between two pages', async () => {
    const gone = await t.createAuction(seller.token, { title: 'withdrawn' });
    expect((await t.request('DELETE', `/auctions/${gone.id}`, { token: seller.token })).status).toBe(204);
    for (const status of [undefined, 'scheduled'] as const) {
      const { ids } = await walk(status === undefined ? { limit: '100' } : { status, limit: '100' });
      expect(ids).not.toContain(gone.id);
    }

    // Deleted while a client pages: later pages leave it out, and nothing else is lost.
    const late = await t.createAuction(seller.token, { title: 'withdrawn later' });
    const first = await t.request('GET', '/auctions?sort=startsAt&limit=1');
    const asOf = Date.parse(first.body.items[0].serverTime);
    const all = await expected(asOf, 'startsAt');
    expect(first.body.items[0].id).toBe(all[0]);
    // It starts last, so it would be on the last page.
    expect(all.at(-1)).toBe(late.id);
    expect((await t.request('DELETE', `/auctions/${late.id}`, { token: seller.token })).status).toBe(204);
    const ids: string[] = [first.body.items[0].id];
    let cursor: string | null = first.body.nextCursor;
    while (cursor !== null) {
      const page = await t.request('GET', `/auctions?sort=startsAt&limit=10&cursor=${cursor}`);
      ids.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    }
    expect(ids).toEqual(all.filter((id) => id !== late.id));
  });

  it('hides stock of showStock=false auctions except from their seller, and 401s a bad token', async () => {
    const hidden = await t.createAuction(seller.token, { title: 'secret stock', showStock: false });
    const find = async (token?: string) => {
      const { pages } = await walk({ sort: '-startsAt', limit: '100' }, token);
      return pages.flatMap((p) => p.body.items).find((item: { id: string }) => item.id === hidden.id);
    };
    const anonymous = await find();
    expect(anonymous).toBeDefined();
    expect(anonymous).not.toHaveProperty('stock');
    expect(anonymous).not.toHaveProperty('initialStock');
    expect(await find(buyer.token)).not.toHaveProperty('stock');
    expect(await find(seller.token)).toMatchObject({ stock: 10, initialStock: 10 });
    const bad = await t.request('GET', '/auctions', { token: 'nope' });
    expect([bad.status, bad.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});
