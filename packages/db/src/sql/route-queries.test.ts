import { createAuction, createMember, createTestDatabase, type TestDatabase } from '@dutch/testkit';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBook } from '../audit-fixtures.test-util.ts';
import { findAuction } from './find-auction.ts';
import { findAuctionPage } from './find-auction-page.ts';
import { findReceiptPage } from './find-receipt-page.ts';
import { insertReceipts, type NewReceipt } from './insert-receipts.ts';
import { pingDatabase } from './ping-database.ts';
import { withdrawAuction } from './write-auction.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const START = 1_700_000_000_123;

const receipt = (buyerId: string, acceptedAt: number, status: NewReceipt['status'] = 'PURCHASED'): NewReceipt => ({
  id: uuidv7(),
  buyerId,
  quantity: 1,
  unitPrice: 100,
  total: 100,
  status,
  failureReason: status === 'FAILED' ? 'SOLD_OUT' : null,
  acceptedAt,
  streamId: `${acceptedAt}-0`,
});

describe('the queries the gateway routes read through', () => {
  it('pingDatabase answers while Postgres does', async () => {
    await expect(pingDatabase(db.sql)).resolves.toBeUndefined();
  });

  it('findAuction reads a live auction with epoch-ms times, and nothing once withdrawn', async () => {
    const seller = await createMember(db.sql);
    const auction = await createAuction(db.db, seller, { startsAt: START });
    const row = await findAuction(db.db, auction.id);
    expect(row?.startsAt).toBe(START);
    expect(row?.endsAt).toBe(START + 3_600_000);
    expect(typeof row?.createdAt).toBe('number');
    expect(row?.deletedAt).toBeNull();
    await db.db.transaction((tx) => withdrawAuction(tx, auction.id, START + 1));
    expect(await findAuction(db.db, auction.id)).toBeUndefined();
  });

  it('findAuctionPage pages on (key, id) and reads one more than the limit', async () => {
    const seller = await createMember(db.sql);
    const ids: string[] = [];
    for (const offset of [0, 1_000, 2_000]) {
      ids.push((await createAuction(db.db, seller, { startsAt: START + 10_000_000 + offset })).id);
    }
    const request = { byPrice: false, descending: false, asOf: START, status: 'scheduled' as const, limit: 1 };
    const first = await findAuctionPage(db.db, { ...request, after: null });
    const mine = (rows: { row: { id: string } }[]) => rows.map((r) => r.row.id).filter((id) => ids.includes(id));
    expect(first).toHaveLength(2);
    expect(first[0]?.key).toBe(START + 10_000_000);
    expect(first[0]?.row.startsAt).toBe(START + 10_000_000);
    const last = first[0];
    if (last === undefined) throw new Error('no first page');
    const next = await findAuctionPage(db.db, { ...request, after: { key: last.key, id: last.row.id } });
    expect(mine(next)).toEqual([ids[1], ids[2]]);
  });

  it('findReceiptPage reads a party newest first past the cursor, queued refunds counted as REFUND_PENDING', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql);
    const auction = await createAuction(db.db, seller);
    const rows = [receipt(buyer, START), receipt(buyer, START + 1), receipt(buyer, START + 2, 'FAILED')];
    await db.sql.begin((tx) =>
      insertReceipts(tx, { auctionId: auction.id, sellerId: seller, firstSeq: 1, settledAt: START + 5 }, rows),
    );
    const base = { party: 'buyer' as const, memberId: buyer, queued: new Set<string>(), before: null, limit: 10 };
    const all = await findReceiptPage(db.db, { ...base, status: undefined });
    expect(all.map((r) => r.id)).toEqual([rows[2]?.id, rows[1]?.id, rows[0]?.id]);
    expect(all[0]?.acceptedAt).toBe(START + 2);
    expect(all[0]?.settledAt).toBe(START + 5);
    const queued = new Set([rows[1]?.id ?? '']);
    const pending = await findReceiptPage(db.db, { ...base, queued, status: 'REFUND_PENDING' });
    expect(pending.map((r) => r.id)).toEqual([rows[1]?.id]);
    const purchased = await findReceiptPage(db.db, { ...base, queued, status: 'PURCHASED' });
    expect(purchased.map((r) => r.id)).toEqual([rows[0]?.id]);
    const older = await findReceiptPage(db.db, {
      ...base,
      status: undefined,
      before: { at: START + 1, id: rows[1]?.id ?? '' },
    });
    expect(older.map((r) => r.id)).toEqual([rows[0]?.id]);
    expect(await findReceiptPage(db.db, { ...base, party: 'seller', status: undefined })).toHaveLength(0);
  });

  it('findAuctionPage filters by format and prices English auctions at the high bid (else the start price)', async () => {
    const book = openBook(db);
    const seller = await createMember(db.sql);
    const asOf = Date.UTC(2030, 0, 1, 0, 5);
    const dutch = await book.dutch(seller); // 100 falling by 10 a minute: 50 at asOf
    const unbid = await book.english(seller, { startPrice: 70 });
    const bid = await book.english(seller, { startPrice: 20 });
    await db.sql`update auctions set high_bid = 60, bid_count = 1, leader_id = ${seller},
                   leading_receipt_id = ${uuidv7()} where id = ${bid}`;
    const mine = new Set([dutch, unbid, bid]);
    const page = async (format: 'dutch' | 'english' | undefined) =>
      (
        await findAuctionPage(db.db, {
          byPrice: true,
          descending: false,
          asOf,
          status: 'running',
          format,
          after: null,
          limit: 100,
        })
      )
        .filter((r) => mine.has(r.row.id))
        .map((r) => [r.row.id, r.key]);
    expect(await page(undefined)).toEqual([
      [dutch, 50],
      [bid, 60],
      [unbid, 70],
    ]);
    expect(await page('english')).toEqual([
      [bid, 60],
      [unbid, 70],
    ]);
    expect(await page('dutch')).toEqual([[dutch, 50]]);
  });

  it('findReceiptPage counts a WON receipt with a refund queued as REFUND_PENDING, not WON', async () => {
    const book = openBook(db);
    const [seller, buyer] = [await createMember(db.sql), await createMember(db.sql)];
    const auction = await book.english(seller);
    const [won] = (await book.receipts(auction, [
      { buyerId: buyer, status: 'WON', unitPrice: 100, format: 'english' },
    ])) as [string];
    const base = { party: 'buyer' as const, memberId: buyer, before: null, limit: 10 };
    const queued = new Set([won]);
    expect((await findReceiptPage(db.db, { ...base, queued, status: 'REFUND_PENDING' })).map((r) => r.id)).toEqual([
      won,
    ]);
    expect(await findReceiptPage(db.db, { ...base, queued, status: 'WON' })).toEqual([]);
    const [row] = await findReceiptPage(db.db, { ...base, queued: new Set(), status: 'WON' });
    expect(row).toMatchObject({ id: won, format: 'english', rebate: 0, finalUnitPrice: null, quantity: 1, total: 100 });
  });
});
