import { createMembers, createTestDatabase, type TestDatabase } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBook } from '../audit-fixtures.test-util.ts';
import { findBidBoardPage } from './find-bid-board-page.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('findBidBoardPage', () => {
  it("reads an auction's settled receipts in settlement order with the buyers' names, paged by position", async () => {
    const book = openBook(db);
    const [seller] = await createMembers(db.sql, [0], undefined, 'Seller');
    const [bella] = await createMembers(db.sql, [0], undefined, 'Bella');
    const [tom] = await createMembers(db.sql, [0], undefined, 'Tom');
    const [auction, elsewhere] = [await book.dutch(seller as string), await book.dutch(seller as string)];
    const first = await book.receipts(auction, [
      { buyerId: bella as string, status: 'PURCHASED', unitPrice: 100, quantity: 2 },
      { buyerId: tom as string, status: 'FAILED', unitPrice: 90, failureReason: 'INSUFFICIENT_POINTS' },
    ]);
    await book.receipts(elsewhere, [{ buyerId: tom as string, status: 'PURCHASED', unitPrice: 100 }]);
    await book.receipts(auction, [{ buyerId: tom as string, status: 'PURCHASED', unitPrice: 80 }]);
    const page = await findBidBoardPage(db.db, auction, { afterPosition: 0, limit: 2 });
    expect(page.map((row) => [row.position, row.name, row.status, row.quantity, row.unitPrice])).toEqual([
      [1, 'Bella', 'PURCHASED', 2, 100],
      [2, 'Tom', 'FAILED', 1, 90],
      [3, 'Tom', 'PURCHASED', 1, 80],
    ]);
    expect(page[0]).toMatchObject({ buyerId: bella, format: 'dutch' });
    expect(typeof page[0]?.acceptedAt).toBe('number');
    expect(first).toHaveLength(2);
    const rest = await findBidBoardPage(db.db, auction, { afterPosition: 2, limit: 2 });
    expect(rest.map((row) => row.position)).toEqual([3]);
    expect(await findBidBoardPage(db.db, auction, { afterPosition: 3, limit: 2 })).toEqual([]);
  });

  it('reads English bids as amounts (unit price, one lot) with their statuses', async () => {
    const book = openBook(db);
    const [seller, ann, bob] = await createMembers(db.sql, [0, 0, 0], undefined, 'Ann');
    const auction = await book.english(seller as string);
    await book.receipts(auction, [
      { buyerId: ann as string, status: 'OUTBID', unitPrice: 100, format: 'english' },
      { buyerId: bob as string, status: 'LEADING', unitPrice: 110, format: 'english' },
    ]);
    const page = await findBidBoardPage(db.db, auction, { afterPosition: 0, limit: 10 });
    expect(page.map((row) => [row.position, row.buyerId, row.status, row.unitPrice, row.format])).toEqual([
      [1, ann, 'OUTBID', 100, 'english'],
      [2, bob, 'LEADING', 110, 'english'],
    ]);
  });
});
