import type { NotificationDraft } from '@dutch/domain';
import { adminUrl, createMember, createTestDatabase, type TestDatabase } from '@dutch/testkit';
import { v4 as uuidv4 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDb } from '../client.ts';
import { countUnread } from './count-unread.ts';
import { findLatestNotificationId } from './find-latest-notification-id.ts';
import { findNotificationPage } from './find-notification-page.ts';
import { findNotificationsAfter } from './find-notifications-after.ts';
import { insertNotifications } from './insert-notifications.ts';
import { markNotificationsRead } from './mark-notifications-read.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const draft = (memberId: string, n: number, kind: NotificationDraft['kind'] = 'sold'): NotificationDraft => ({
  memberId,
  kind,
  auctionId: '01900000-0000-4000-8000-000000000001',
  receiptId: null,
  data: { title: `Lot ${n}`, unitsSold: n, pointsEarned: n * 10, ok: true, none: null },
  dedupeKey: `test:${n}`,
});

/**
 * The SSE read once nothing holds its rows back. Any transaction of this database still running
 * (or one anywhere that ended a moment ago) holds rows back for its duration; none of this file's
 * own lasts, so waiting out `heldBack` ends at once unless the read is wrong.
 */
async function readAfter(memberId: string, afterId: number | null, limit: number): Promise<number[]> {
  return vi.waitFor(
    async () => {
      const { items, heldBack } = await findNotificationsAfter(db.db, memberId, afterId, limit);
      expect(heldBack).toBe(false);
      return items.map((row) => row.id);
    },
    { timeout: 5_000, interval: 20 },
  );
}

/** Stores drafts in a transaction of their own; their ids in order. */
async function store(...drafts: NotificationDraft[]): Promise<number[]> {
  const rows = await db.sql.begin((tx) => insertNotifications(tx, drafts));
  return rows.map((row) => row.id);
}

describe('insertNotifications', () => {
  it('stores drafts in one statement, in order, once per (member, dedupe key), and returns only what it wrote', async () => {
    const [a, b] = [await createMember(db.sql), await createMember(db.sql)];
    const first = await db.sql.begin((tx) =>
      insertNotifications(tx, [draft(a, 1), draft(b, 1), draft(a, 2), draft(a, 1)]),
    );
    // The repeat inside the batch is skipped as a stored one would be.
    expect(first.map((row) => row.memberId)).toEqual([a, b, a]);
    expect(first[0]?.id).toBeLessThan(first[1]?.id ?? 0);
    expect(first[1]?.id).toBeLessThan(first[2]?.id ?? 0);
    const again = await db.sql.begin((tx) => insertNotifications(tx, [draft(a, 2), draft(b, 1), draft(b, 3)]));
    expect(again.map((row) => row.memberId)).toEqual([b]);
    expect(await db.sql.begin((tx) => insertNotifications(tx, []))).toEqual([]);
    const [row] = await findNotificationPage(db.db, a, { unread: false, beforeId: null, limit: 1 });
    expect(row).toMatchObject({
      id: first[2]?.id,
      kind: 'sold',
      auctionId: '01900000-0000-4000-8000-000000000001',
      receiptId: null,
      data: { title: 'Lot 2', unitsSold: 2, pointsEarned: 20, ok: true, none: null },
      readAt: null,
    });
    expect(typeof row?.createdAt).toBe('number');
  });

  it('refuses a kind outside the domain list and a second row for a (member, dedupe key)', async () => {
    const member = await createMember(db.sql);
    await expect(store({ ...draft(member, 1), kind: 'gossip' as NotificationDraft['kind'] })).rejects.toThrow(
      /notifications_kind_known/,
    );
    await store(draft(member, 1));
    await expect(
      db.sql`insert into notifications (member_id, kind, auction_id, data, dedupe_key)
             values (${member}, 'sold', ${uuidv4()}, '{}', 'test:1')`,
    ).rejects.toThrow(/notifications_member_dedupe_key/);
  });
});

describe('the inbox', () => {
  it('pages newest first past a cursor, with an unread filter, and counts unread', async () => {
    const member = await createMember(db.sql);
    const other = await createMember(db.sql);
    const ids = [];
    for (let n = 1; n <= 5; n++) ids.push(...(await store(draft(member, n))));
    await store(draft(other, 1));
    const page = (request: { unread: boolean; beforeId: number | null; limit: number }) =>
      findNotificationPage(db.db, member, request).then((rows) => rows.map((row) => row.id));
    expect(await page({ unread: false, beforeId: null, limit: 2 })).toEqual([ids[4], ids[3], ids[2]]);
    expect(await page({ unread: false, beforeId: ids[3] as number, limit: 2 })).toEqual([ids[2], ids[1], ids[0]]);
    expect(await page({ unread: false, beforeId: ids[0] as number, limit: 2 })).toEqual([]);
    expect(await countUnread(db.db, member)).toBe(5);

    expect(await markNotificationsRead(db.db, member, ids[2] as number)).toEqual({ owned: true, unreadCount: 2 });
    expect(await countUnread(db.db, member)).toBe(2);
    expect(await page({ unread: true, beforeId: null, limit: 10 })).toEqual([ids[4], ids[3]]);
    expect(await page({ unread: true, beforeId: ids[4] as number, limit: 10 })).toEqual([ids[3]]);
    const [read] = await findNotificationPage(db.db, member, { unread: false, beforeId: ids[3] as number, limit: 1 });
    expect(typeof read?.readAt).toBe('number');
    // Marking again changes nothing; the other member's inbox was never touched.
    expect(await markNotificationsRead(db.db, member, ids[1] as number)).toEqual({ owned: true, unreadCount: 2 });
    expect(await countUnread(db.db, other)).toBe(1);
  });

  it("marks nothing for an id that is not the member's, and a forged cursor reads from the newest", async () => {
    const [member, other] = [await createMember(db.sql), await createMember(db.sql)];
    const mine = await store(draft(member, 1), draft(member, 2));
    const [theirs] = await store(draft(other, 1));
    expect(await markNotificationsRead(db.db, member, theirs as number)).toEqual({ owned: false, unreadCount: 2 });
    expect(await markNotificationsRead(db.db, member, 9_007_199_254_740_991)).toEqual({ owned: false, unreadCount: 2 });
    expect(await countUnread(db.db, other)).toBe(1);
    const page = await findNotificationPage(db.db, member, { unread: false, beforeId: theirs as number, limit: 10 });
    expect(page.map((row) => row.id)).toEqual([mine[1], mine[0]]);
  });
});

describe('findNotificationsAfter (the SSE read)', () => {
  it('reads ascending after an id, in batches, from the start when the id is not the member’s', async () => {
    const [member, other] = [await createMember(db.sql), await createMember(db.sql)];
    const ids = await store(draft(member, 1), draft(member, 2), draft(member, 3));
    const [theirs] = await store(draft(other, 1));
    expect(await readAfter(member, null, 10)).toEqual(ids);
    expect(await readAfter(member, null, 2)).toEqual(ids.slice(0, 2));
    expect(await readAfter(member, ids[1] as number, 2)).toEqual([ids[2]]);
    expect(await readAfter(member, ids[2] as number, 2)).toEqual([]);
    expect(await readAfter(member, theirs as number, 10)).toEqual(ids);
    await vi.waitFor(async () => expect(await findLatestNotificationId(db.db, member)).toBe(ids[2]), { interval: 20 });
    expect(await findLatestNotificationId(db.db, await createMember(db.sql))).toBeNull();
  });

  it('never skips a row committed after a later id: it is held back until the older transaction ends', async () => {
    const member = await createMember(db.sql);
    const [seen] = await store(draft(member, 1));
    // A second connection plays the slow settlement: it takes its id first and commits last.
    const slow = createDb(db.url, { max: 1 });
    let commit: () => void = () => {};
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    try {
      let slowId = 0;
      let took: () => void = () => {};
      const taken = new Promise<void>((resolve) => {
        took = resolve;
      });
      const slowTx = slow.sql.begin(async (tx) => {
        const [row] = await insertNotifications(tx, [draft(member, 2)]);
        slowId = row?.id ?? 0;
        took();
        await committed;
      });
      await taken;
      const [fastId] = await store(draft(member, 3));
      expect(slowId).toBeGreaterThan(seen as number);
      expect(fastId).toBeGreaterThan(slowId);
      // The fast row is committed and in the inbox, but the stream may not send it yet.
      const inbox = await findNotificationPage(db.db, member, { unread: false, beforeId: null, limit: 10 });
      expect(inbox.map((row) => row.id)).toEqual([fastId, seen]);
      expect(await findNotificationsAfter(db.db, member, seen as number, 10)).toEqual({ items: [], heldBack: true });
      await vi.waitFor(async () => expect(await findLatestNotificationId(db.db, member)).toBe(seen), { interval: 20 });
      commit();
      await slowTx;
      expect(await readAfter(member, seen as number, 10)).toEqual([slowId, fastId]);
      // Resuming after either gives exactly what follows it in that order.
      expect(await readAfter(member, slowId, 10)).toEqual([fastId]);
      expect(await readAfter(member, fastId as number, 10)).toEqual([]);
    } finally {
      commit();
      await slow.close();
    }
  });

  it('is not held back by a transaction in another database', async () => {
    const member = await createMember(db.sql);
    const neighbour = createDb(adminUrl(), { max: 1 });
    let end: () => void = () => {};
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    try {
      let began: () => void = () => {};
      const begun = new Promise<void>((resolve) => {
        began = resolve;
      });
      // A writer elsewhere in the cluster, older than every row below and open throughout.
      const open = neighbour.sql.begin(async (tx) => {
        await tx`select pg_current_xact_id()`;
        began();
        await ended;
      });
      await begun;
      const ids = await store(draft(member, 1), draft(member, 2));
      expect(await readAfter(member, null, 10)).toEqual(ids);
      end();
      await open;
    } finally {
      end();
      await neighbour.close();
    }
  });
});
