import { countUnread } from '@dutch/db';
import { describeNotification } from '@dutch/domain';
import { startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftFor, store } from './notification-fixtures.test-util.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

const list = (token: string, query = '') => t.request('GET', `/members/me/notifications${query}`, { token });
const markRead = (token: string, body: unknown) => t.request('POST', '/members/me/notifications/read', { token, body });

/** Every page of a listing, following nextCursor. */
async function allPages(token: string, query: string) {
  const items = [];
  let cursor: string | null = null;
  do {
    const page = await list(token, `${query}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return items;
}

describe('GET /members/me/notifications', () => {
  it('lists the caller’s notifications newest first, worded by the domain, with the unread count', async () => {
    const me = await t.signUp('me');
    const other = await t.signUp('other');
    const drafts = [draftFor(me.id, 'receipt'), draftFor(me.id, 'rebate'), draftFor(me.id, 'price_alert')];
    const ids = await store(t, drafts);
    await store(t, [draftFor(other.id, 'receipt')]);

    const reply = await list(me.token);
    expect(reply.status).toBe(200);
    expect(reply.body.unreadCount).toBe(3);
    expect(reply.body.nextCursor).toBeNull();
    const expected = drafts.map((draft, i) => ({
      id: ids[i],
      kind: draft.kind,
      auctionId: draft.auctionId,
      ...(draft.receiptId === null ? {} : { receiptId: draft.receiptId }),
      message: describeNotification(draft.kind, draft.data),
      data: draft.data,
      createdAt: expect.any(String),
      readAt: null,
    }));
    expect(reply.body.items).toEqual(expected.reverse());
    expect(typeof reply.body.items[0].id).toBe('string');
    expect(reply.body.items[0].message).toContain('Lamp');
  });

  it('pages with a cursor and filters unread ones', async () => {
    const me = await t.signUp('me');
    const ids = await store(
      t,
      Array.from({ length: 7 }, () => draftFor(me.id)),
    );
    const paged = await allPages(me.token, '?limit=3');
    expect(paged.map((item) => item.id)).toEqual([...ids].reverse());

    const marked = await markRead(me.token, { upTo: ids[3] });
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ unreadCount: 3 });
    const unread = await allPages(me.token, '?unread=true&limit=2');
    expect(unread.map((item) => item.id)).toEqual([ids[6], ids[5], ids[4]]);
    const everything = await allPages(me.token, '?unread=false&limit=100');
    expect(everything).toHaveLength(7);
    for (const item of everything) {
      expect(item.readAt === null).toBe(ids.indexOf(item.id) > 3);
    }
    expect((await list(me.token, '?unread=true')).body.unreadCount).toBe(3);
    // Marking again, or an older id, changes nothing; a number is accepted as well as a string.
    expect((await markRead(me.token, { upTo: Number(ids[1]) })).body).toEqual({ unreadCount: 3 });
    expect((await markRead(me.token, { upTo: ids[6] })).body).toEqual({ unreadCount: 0 });
  });

  it('refuses bad queries and bodies, naming the field', async () => {
    const me = await t.signUp('me');
    for (const query of ['?unread=yes', '?limit=0', '?limit=101', '?cursor=forged', '?since=1']) {
      const reply = await list(me.token, query);
      expect([reply.status, reply.body.error.code], query).toEqual([400, 'INVALID_REQUEST']);
    }
    for (const body of [{}, { upTo: 'abc' }, { upTo: 0 }, { upTo: -1 }, { upTo: 1.5 }, { upTo: '99999999999999999' }]) {
      const reply = await markRead(me.token, body);
      expect([reply.status, reply.body.error.details[0].field], JSON.stringify(body)).toEqual([400, 'upTo']);
    }
    expect((await markRead(me.token, { upTo: '1', all: true })).status).toBe(400);
    expect((await t.request('GET', '/members/me/notifications')).status).toBe(401);
    expect((await t.request('POST', '/members/me/notifications/read', { body: { upTo: '1' } })).status).toBe(401);
  });
});

describe('nobody reads or marks another member’s notifications', () => {
  it('answers 404 for an id that is not the caller’s and marks nothing, for either member', async () => {
    const me = await t.signUp('me');
    const other = await t.signUp('other');
    const [mine] = await store(t, [draftFor(me.id)]);
    const theirs = await store(t, [draftFor(other.id), draftFor(other.id)]);

    const refused = await markRead(me.token, { upTo: theirs[1] });
    expect([refused.status, refused.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const unknown = await markRead(me.token, { upTo: '9007199254740991' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect(await countUnread(t.db.db, me.id)).toBe(1);
    expect(await countUnread(t.db.db, other.id)).toBe(2);

    expect((await list(me.token)).body.items.map((item: { id: string }) => item.id)).toEqual([mine]);
    const otherList = await list(other.token);
    expect(otherList.body.items.map((item: { id: string }) => item.id)).toEqual([...theirs].reverse());
    expect(otherList.body.items.every((item: { readAt: null }) => item.readAt === null)).toBe(true);
    // A cursor names a position, not whose it is: made from another member's id it reads only the caller's rows.
    const forged = Buffer.from(JSON.stringify({ before: Number(theirs[1]) })).toString('base64url');
    const page = await list(me.token, `?cursor=${forged}`);
    expect(page.status).toBe(200);
    for (const item of page.body.items) expect(item.id).toBe(mine);
  });
});
