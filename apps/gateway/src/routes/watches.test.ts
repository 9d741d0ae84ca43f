import { startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishBody } from './english-fixtures.test-util.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

const watch = (token: string, auctionId: string, body?: unknown) =>
  t.request('PUT', `/auctions/${auctionId}/watch`, body === undefined ? { token } : { token, body });
const unwatch = (token: string, auctionId: string) => t.request('DELETE', `/auctions/${auctionId}/watch`, { token });
const watches = (token: string, query = '') => t.request('GET', `/members/me/watches${query}`, { token });

describe('watching auctions', () => {
  it('PUT watches with an optional alert price, changes it, and lists the auction with its current view', async () => {
    const seller = await t.signUp('seller');
    const watcher = await t.signUp('watcher');
    const auction = await t.createAuction(seller.token, { showStock: false });
    const first = await watch(watcher.token, auction.id, { alertPrice: 700 });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ auctionId: auction.id, alertPrice: 700, createdAt: expect.any(String) });
    t.travel(1_000);
    const changed = await watch(watcher.token, auction.id, {});
    // A change keeps when the auction was first watched.
    expect(changed.body).toEqual({ auctionId: auction.id, alertPrice: null, createdAt: first.body.createdAt });
    expect((await watch(watcher.token, auction.id)).status).toBe(200);

    const listed = await watches(watcher.token);
    expect(listed.status).toBe(200);
    expect(listed.body.nextCursor).toBeNull();
    expect(listed.body.items).toHaveLength(1);
    const [item] = listed.body.items;
    expect(item).toMatchObject({ auctionId: auction.id, alertPrice: null, createdAt: first.body.createdAt });
    expect(item.auction).toMatchObject({ id: auction.id, format: 'dutch', status: 'scheduled', currentPrice: 1000 });
    // The watcher is not the seller: the hidden stock stays hidden in the list too.
    expect(item.auction).not.toHaveProperty('stock');
    expect((await watches(seller.token)).body.items).toEqual([]);
  });

  it('refuses bad alert prices naming the field, unknown auctions with 404, and English alert prices', async () => {
    const seller = await t.signUp('seller');
    const watcher = await t.signUp('watcher');
    const auction = await t.createAuction(seller.token);
    for (const body of [{ alertPrice: 0 }, { alertPrice: 1.5 }, { alertPrice: '700' }, { alertPrice: 2e9 }]) {
      const reply = await watch(watcher.token, auction.id, body);
      expect([reply.status, reply.body.error.code, reply.body.error.details[0].field]).toEqual([
        400,
        'INVALID_REQUEST',
        'alertPrice',
      ]);
    }
    const unknownField = await watch(watcher.token, auction.id, { alertPrice: 5, price: 5 });
    expect([unknownField.status, unknownField.body.error.details[0].field]).toEqual([400, 'price']);
    expect((await watch(watcher.token, auction.id, '{"alertPrice":')).status).toBe(400);
    const unknown = await watch(watcher.token, '00000000-0000-4000-8000-000000000000', { alertPrice: 5 });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await watch(watcher.token, 'nope')).status).toBe(400);

    const english = await t.request('POST', '/auctions', { token: seller.token, body: englishBody(t) });
    const refused = await watch(watcher.token, english.body.id, { alertPrice: 600 });
    expect([refused.status, refused.body.error.details[0].field]).toEqual([400, 'alertPrice']);
    expect((await watch(watcher.token, english.body.id)).body).toMatchObject({ alertPrice: null });
    // Nothing refused was stored.
    expect((await watches(watcher.token)).body.items.map((w: { auctionId: string }) => w.auctionId)).toEqual([
      english.body.id,
    ]);
    expect((await t.request('PUT', `/auctions/${auction.id}/watch`)).status).toBe(401);
    expect((await t.request('GET', '/members/me/watches')).status).toBe(401);
  });

  it("keeps each member's watches their own: nobody reads or removes another's", async () => {
    const seller = await t.signUp('seller');
    const alice = await t.signUp('alice');
    const bob = await t.signUp('bob');
    const auction = await t.createAuction(seller.token);
    expect((await watch(alice.token, auction.id, { alertPrice: 800 })).status).toBe(200);
    // Bob's watch of the same auction is his own row; deleting his never touches Alice's.
    expect((await watch(bob.token, auction.id, { alertPrice: 500 })).status).toBe(200);
    expect((await unwatch(bob.token, auction.id)).status).toBe(204);
    expect((await unwatch(bob.token, auction.id)).status).toBe(204);
    expect((await watches(bob.token)).body.items).toEqual([]);
    expect((await watches(alice.token)).body.items).toMatchObject([{ auctionId: auction.id, alertPrice: 800 }]);
    expect((await unwatch(alice.token, auction.id)).status).toBe(204);
    expect((await watches(alice.token)).body.items).toEqual([]);
  });

  it('pages newest watch first, and leaves out withdrawn auctions', async () => {
    const seller = await t.signUp('seller');
    const watcher = await t.signUp('watcher');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const auction = await t.createAuction(seller.token);
      ids.push(auction.id);
      expect((await watch(watcher.token, auction.id)).status).toBe(200);
      t.travel(10);
    }
    expect((await t.request('DELETE', `/auctions/${ids[2]}`, { token: seller.token })).status).toBe(204);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = await watches(watcher.token, query);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item: { auctionId: string }) => item.auctionId));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([ids[4], ids[3], ids[1], ids[0]]);
    expect((await watches(watcher.token, '?cursor=forged')).status).toBe(400);
  });
});
