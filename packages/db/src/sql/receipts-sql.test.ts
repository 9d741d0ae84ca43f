import { receiptAfterGivingUp } from '@dutch/domain';
import { createAuction, createMember, createTestDatabase, type TestDatabase } from '@dutch/testkit';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giveUpRefund } from './give-up-refund.ts';
import { insertReceipts, type NewReceipt } from './insert-receipts.ts';
import { lockAuction } from './lock-auction.ts';
import { nextSettleSeqOfGoneAuction } from './next-settle-seq.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const receipt = (buyerId: string, overrides: Partial<NewReceipt> = {}): NewReceipt => ({
  id: uuidv7(),
  buyerId,
  quantity: 1,
  unitPrice: 100,
  total: 100,
  status: 'FAILED',
  failureReason: 'SOLD_OUT',
  acceptedAt: 1_700_000_000_123,
  streamId: '1-0',
  ...overrides,
});

describe('insertReceipts, the one way receipts are written', () => {
  it('numbers a batch in order, keeps epoch-ms times exactly, and returns the ids written', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql);
    const auction = await createAuction(db.db, seller);
    const rows = [receipt(buyer, { streamId: '1-0' }), receipt(buyer, { streamId: '1-1', idempotencyKey: 'k' })];
    const written = await db.sql.begin((tx) =>
      insertReceipts(tx, { auctionId: auction.id, sellerId: seller, firstSeq: 7, settledAt: 1_700_000_000_456 }, rows),
    );
    expect(written.sort()).toEqual(rows.map((r) => r.id).sort());
    const stored = await db.sql<{ id: string; seq: number; accepted: number; settled: number; key: string | null }[]>`
      select id, settle_seq as seq, (extract(epoch from accepted_at) * 1000)::int8 as accepted,
             (extract(epoch from settled_at) * 1000)::int8 as settled, idempotency_key as key
      from receipts where auction_id = ${auction.id} order by settle_seq`;
    expect(stored).toEqual([
      { id: rows[0]?.id, seq: 7, accepted: 1_700_000_000_123, settled: 1_700_000_000_456, key: null },
      { id: rows[1]?.id, seq: 8, accepted: 1_700_000_000_123, settled: 1_700_000_000_456, key: 'k' },
    ]);
  });

  it('skips a receipt already written only when asked to, and refuses it otherwise', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql);
    const auction = await createAuction(db.db, seller);
    const row = receipt(buyer);
    const batch = { auctionId: auction.id, sellerId: seller, firstSeq: 1, settledAt: Date.now() };
    await db.sql.begin((tx) => insertReceipts(tx, batch, [row]));
    expect(await db.sql.begin((tx) => insertReceipts(tx, { ...batch, skipExisting: true }, [row]))).toEqual([]);
    await expect(db.sql.begin((tx) => insertReceipts(tx, batch, [row]))).rejects.toMatchObject({ code: '23505' });
  });
});

describe('the give-up writes', () => {
  it('numbers the receipts of an auction that is gone after the last one written', async () => {
    const auctionId = uuidv4();
    expect(await db.sql.begin((tx) => nextSettleSeqOfGoneAuction(tx, auctionId))).toBe(1);
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql);
    await db.sql.begin((tx) =>
      insertReceipts(tx, { auctionId, sellerId: seller, firstSeq: 4, settledAt: Date.now() }, [receipt(buyer)]),
    );
    expect(await db.sql.begin((tx) => nextSettleSeqOfGoneAuction(tx, auctionId))).toBe(5);
    expect(await db.sql.begin((tx) => lockAuction(tx, auctionId, null))).toBeNull();
  });

  it('writes what the domain decided for a given-up refund, only on a receipt still held', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql);
    const auction = await createAuction(db.db, seller);
    const held = receipt(buyer, { status: 'REFUND_PENDING', failureReason: null });
    const refunded = receipt(buyer, { status: 'REFUNDED', failureReason: null, streamId: '1-1' });
    const batch = { auctionId: auction.id, sellerId: seller, firstSeq: 1, settledAt: Date.now() };
    await db.sql.begin((tx) => insertReceipts(tx, batch, [held, refunded]));
    const after = receiptAfterGivingUp('refund');
    for (const r of [held, refunded]) await giveUpRefund(db.sql, { receiptId: r.id, requestId: uuidv4() }, after);
    const rows = await db.sql<{ id: string; status: string; reason: string | null }[]>`
      select id, status, failure_reason as reason from receipts where auction_id = ${auction.id}`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(held.id)).toMatchObject({ status: 'PURCHASED', reason: 'PROCESSING_FAILED' });
    expect(byId.get(refunded.id)).toMatchObject({ status: 'REFUNDED', reason: null });
  });
});
