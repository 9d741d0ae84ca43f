import { createMember, createTestDatabase, type TestDatabase } from '@dutch/testkit';
import { v4 as uuidv4 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBook } from '../audit-fixtures.test-util.ts';
import { deleteWatch } from './delete-watch.ts';
import { findWatchPage } from './find-watch-page.ts';
import { upsertWatch } from './upsert-watch.ts';
import { withdrawAuction } from './write-auction.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const NOW = Date.UTC(2029, 11, 1, 12, 0, 0, 123);

describe('watches', () => {
  it('upsertWatch watches a live auction once, changes only the alert price, and refuses unknown or withdrawn ones', async () => {
    const book = openBook(db);
    const [seller, member] = [await createMember(db.sql), await createMember(db.sql)];
    const auction = await book.dutch(seller);
    expect(await upsertWatch(db.db, { memberId: member, auctionId: auction, alertPrice: 70, now: NOW })).toEqual({
      auctionId: auction,
      alertPrice: 70,
      createdAt: NOW,
    });
    // Watching again keeps when it was first watched: auction_starting goes by that.
    expect(await upsertWatch(db.db, { memberId: member, auctionId: auction, alertPrice: null, now: NOW + 5 })).toEqual({
      auctionId: auction,
      alertPrice: null,
      createdAt: NOW,
    });
    const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from watches where member_id = ${member}`;
    expect(count?.n).toBe(1);
    expect(
      await upsertWatch(db.db, { memberId: member, auctionId: uuidv4(), alertPrice: 1, now: NOW }),
    ).toBeUndefined();
    const withdrawn = await book.dutch(seller);
    await db.db.transaction((tx) => withdrawAuction(tx, withdrawn, NOW));
    expect(
      await upsertWatch(db.db, { memberId: member, auctionId: withdrawn, alertPrice: 1, now: NOW }),
    ).toBeUndefined();
    await expect(
      upsertWatch(db.db, { memberId: member, auctionId: auction, alertPrice: 0, now: NOW }),
    ).rejects.toMatchObject({ cause: { constraint_name: 'watches_alert_price_positive' } });
  });

  it('deleteWatch removes only the member’s own watch', async () => {
    const book = openBook(db);
    const [seller, member, other] = [
      await createMember(db.sql),
      await createMember(db.sql),
      await createMember(db.sql),
    ];
    const auction = await book.english(seller);
    await upsertWatch(db.db, { memberId: member, auctionId: auction, alertPrice: null, now: NOW });
    await upsertWatch(db.db, { memberId: other, auctionId: auction, alertPrice: null, now: NOW });
    expect(await deleteWatch(db.db, member, auction)).toBe(true);
    expect(await deleteWatch(db.db, member, auction)).toBe(false);
    expect((await findWatchPage(db.db, other, { before: null, limit: 10 })).map((w) => w.auctionId)).toEqual([auction]);
  });

  it('findWatchPage pages newest first with each auction’s row, leaving withdrawn auctions out', async () => {
    const book = openBook(db);
    const [seller, member] = [await createMember(db.sql), await createMember(db.sql)];
    const ids = [await book.dutch(seller, { title: 'First' }), await book.english(seller), await book.dutch(seller)];
    // Two watches made in the same millisecond: the auction id breaks the tie.
    const times = [NOW, NOW + 1_000, NOW + 1_000];
    for (const [i, id] of ids.entries()) {
      await upsertWatch(db.db, { memberId: member, auctionId: id, alertPrice: i + 1, now: times[i] as number });
    }
    const tied = [ids[1], ids[2]].sort().reverse() as [string, string];
    const first = await findWatchPage(db.db, member, { before: null, limit: 2 });
    expect(first.map((w) => w.auctionId)).toEqual([...tied, ids[0]]);
    const last = first[1];
    if (last === undefined) throw new Error('no second watch');
    const rest = await findWatchPage(db.db, member, {
      before: { at: last.createdAt, auctionId: last.auctionId },
      limit: 2,
    });
    expect(rest).toHaveLength(1);
    expect(rest[0]).toMatchObject({ auctionId: ids[0], alertPrice: 1, createdAt: NOW });
    expect(rest[0]?.auction).toMatchObject({ id: ids[0], title: 'First', format: 'dutch', closedAt: null });
    expect(typeof rest[0]?.auction.startsAt).toBe('number');
    await db.db.transaction((tx) => withdrawAuction(tx, ids[0] as string, NOW));
    expect((await findWatchPage(db.db, member, { before: null, limit: 10 })).map((w) => w.auctionId)).toEqual(tied);
  });
});
