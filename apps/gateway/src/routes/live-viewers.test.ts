import { auctions, type Db } from '@dutch/db';
import { lampAuction, readSseEvents, startStack, startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Reads of the auctions table through the gateway's drizzle handle (the real database, counted). */
let auctionReads = 0;
function countAuctionReads(db: Db): Db {
  return new Proxy(db, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== 'select') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: Parameters<Db['select']>) => {
        const builder = target.select(...args);
        return new Proxy(builder, {
          get(inner, name) {
            const member = Reflect.get(inner, name, inner);
            if (name !== 'from') return typeof member === 'function' ? member.bind(inner) : member;
            return (table: unknown, ...rest: unknown[]) => {
              if (table === auctions) auctionReads++;
              return (member as (...a: unknown[]) => unknown).call(inner, table, ...rest);
            };
          },
        });
      };
    },
  });
}

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ SSE_MAX_CONNECTIONS_PER_CLIENT: '1000' }, { wrapDb: countAuctionReads });
});
afterAll(async () => {
  await t.close();
});

async function openStream(auctionId: string, token?: string) {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const response = await t.gateway.app.request(`/auctions/${auctionId}/events`, { headers });
  expect(response.status).toBe(200);
  return readSseEvents(response);
}

describe('live feeds on a hidden-stock auction', () => {
  it('send stock events to the seller only: not to a buyer, not anonymously', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 100_000);
    const auction = await t.createAuction(seller.token, { stock: 5, perBuyerLimit: 5, showStock: false });
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const [own, buyers, anonymous] = await Promise.all([
      openStream(auction.id, seller.token),
      openStream(auction.id, buyer.token),
      openStream(auction.id),
    ]);
    const streams = [own, buyers, anonymous];
    await waitFor(async () => streams.every((s) => s.events.length > 0), 5_000, 'the snapshots');
    expect(own.events[0]?.data).toMatchObject({ stock: 5, soldCount: 0 });

    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 2, maxPrice: 1000 },
    });
    expect(bid.status).toBe(202);
    await t.settle();
    await waitFor(async () => own.events.some((e) => e.event === 'stock'), 5_000, "the seller's stock event");
    expect(own.events.find((e) => e.event === 'stock')?.data).toEqual({ stock: 3, soldCount: 2 });
    // Selling out sends status to all three after the stock: once the others have it, they were passed over.
    const rest = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 3, maxPrice: 1000 },
    });
    expect(rest.status).toBe(202);
    await t.settle();
    const soldOut = (s: (typeof streams)[number]) =>
      s.events.some((e) => e.event === 'status' && e.data.status === 'sold_out');
    await waitFor(async () => streams.every(soldOut), 5_000, 'sold_out everywhere');
    expect(own.events.filter((e) => e.event === 'stock').map((e) => e.data.stock)).toEqual([3, 0]);
    for (const other of [buyers, anonymous]) {
      expect(other.events.some((e) => e.event === 'stock')).toBe(false);
      for (const event of other.events) expect(event.data).not.toHaveProperty('stock');
    }
    await Promise.all(streams.map((s) => s.close()));
  });
});

describe('a seller edit with many viewers', () => {
  it('reads the auction once per edit for all viewers, not once per viewer', async () => {
    const VIEWERS = 30;
    const EDITS = 4;
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer');
    const auction = await t.createAuction(seller.token, { startsIn: 3_600_000 });
    const streams = await Promise.all(
      Array.from({ length: VIEWERS }, (_, i) => openStream(auction.id, i % 3 === 0 ? buyer.token : undefined)),
    );
    await waitFor(async () => streams.every((s) => s.events.length === 1), 10_000, 'every snapshot');

    auctionReads = 0;
    for (let edit = 1; edit <= EDITS; edit++) {
      const patched = await t.request('PATCH', `/auctions/${auction.id}`, {
        token: seller.token,
        body: { title: `Edit ${edit}` },
      });
      expect(patched.status).toBe(200);
      await waitFor(
        async () => streams.every((s) => s.events.at(-1)?.data.title === `Edit ${edit}`),
        10_000,
        `edit ${edit} on every viewer`,
      );
    }
    // One read per edit (two at most when edits overlap a read), whatever the number of viewers.
    expect(auctionReads).toBeGreaterThanOrEqual(1);
    expect(auctionReads).toBeLessThanOrEqual(2 * EDITS);
    for (const stream of streams) {
      expect(stream.events.filter((e) => e.event === 'snapshot')).toHaveLength(1 + EDITS);
    }
    await Promise.all(streams.map((s) => s.close()));
  });
});

describe('live streams per client address', () => {
  it('are capped by SSE_MAX_CONNECTIONS_PER_CLIENT with a 429 in the error shape and Retry-After', async () => {
    const stack = await startStack({ SSE_MAX_CONNECTIONS_PER_CLIENT: '3' });
    const aborts: AbortController[] = [];
    try {
      const member = await fetch(`${stack.url}/members`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'seller' }),
      }).then((r) => r.json() as Promise<{ token: string }>);
      const startsAt = Date.now() + 3_600_000;
      const created = await fetch(`${stack.url}/auctions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
        body: JSON.stringify(lampAuction(startsAt)),
      }).then((r) => r.json() as Promise<{ id: string }>);
      const open = async () => {
        const abort = new AbortController();
        aborts.push(abort);
        return { abort, response: await fetch(`${stack.url}/auctions/${created.id}/events`, { signal: abort.signal }) };
      };
      const held = [await open(), await open(), await open()];
      expect(held.map((h) => h.response.status)).toEqual([200, 200, 200]);

      const refused = await open();
      expect(refused.response.status).toBe(429);
      expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = await refused.response.json();
      expect(body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringContaining('at most 3') } });

      held[0]?.abort.abort();
      const again = await waitFor(async () => {
        const next = await open();
        if (next.response.status === 200) return next;
        await next.response.body?.cancel();
        return undefined;
      }, 5_000);
      expect(again.response.status).toBe(200);
    } finally {
      for (const abort of aborts) abort.abort();
      await stack.stop();
    }
  });
});
