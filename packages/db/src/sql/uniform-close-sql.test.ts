import { balanceDeltasOf, closeAuction, priceAt, type QueuedBid, settleBids } from '@dutch/domain';
import { createTestDatabase, type TestDatabase } from '@dutch/testkit';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLedger } from '../audit.ts';
import { openBook } from '../audit-fixtures.test-util.ts';
import type { Tx } from '../client.ts';
import { appendLedger } from './append-ledger.ts';
import { applyBalanceDeltas } from './apply-balance-deltas.ts';
import { closeAuctionRow } from './close-auction-row.ts';
import { findMember } from './find-member.ts';
import { findPurchasedReceipts } from './find-purchased-receipts.ts';
import { insertReceipts } from './insert-receipts.ts';
import { type LockedDutchAuction, lockAuction } from './lock-auction.ts';
import { lockMembers } from './lock-members.ts';
import { lockRefundReceipts } from './lock-refund-receipts.ts';
import { saveAuction } from './save-auction.ts';
import { updateClosedReceipts } from './update-closed-receipts.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function lockDutch(tx: Tx, auctionId: string): Promise<LockedDutchAuction> {
  const locked = await lockAuction(tx, auctionId, null);
  if (locked?.auction.format !== 'dutch') throw new Error('not a Dutch auction');
  return locked.auction;
}

/** A run of Dutch bids as the consumer settles it (no held units yet: each buyer buys once). */
function settleRun(auctionId: string, bids: readonly QueuedBid[]) {
  return db.sql.begin(async (tx) => {
    const auction = await lockDutch(tx, auctionId);
    const points = await lockMembers(tx, [...bids.map((b) => b.buyerId), auction.terms.sellerId]);
    const settlement = settleBids(auction.terms, { stock: auction.stock, points, held: new Map() }, bids);
    const firstSeq = auction.settledCount + 1;
    auction.stock = settlement.stockAfter;
    auction.settledCount += settlement.outcomes.length;
    const receipts = settlement.outcomes.map((x, i) => ({
      id: x.receiptId,
      buyerId: x.buyerId,
      quantity: x.quantity,
      unitPrice: x.unitPrice,
      total: x.total,
      status: x.status,
      failureReason: x.status === 'FAILED' ? x.reason : null,
      acceptedAt: (bids[i] as QueuedBid).acceptedAt,
      streamId: `${(bids[i] as QueuedBid).acceptedAt}-${i}`,
    }));
    const batch = { auctionId, sellerId: auction.terms.sellerId, firstSeq, settledAt: Date.now() };
    await Promise.all([
      insertReceipts(tx, batch, receipts),
      saveAuction(tx, auction),
      appendLedger(tx, settlement.moves),
      applyBalanceDeltas(tx, { points: settlement.pointDeltas, held: settlement.heldDeltas }),
    ]);
  });
}

describe('a uniform Dutch auction through the writes the consumer makes', () => {
  it('holds the takings per purchase, then closes at the lowest price with rebates, once', async () => {
    const book = openBook(db);
    const [seller, b1, b2] = [await book.member(), await book.member(1000), await book.member(1000)];
    const startsAt = Date.now() - 600_000;
    const auctionId = await book.dutch(seller, { pricing: 'uniform', startsAt, endsAt: startsAt + 3_600_000 });
    const auction = await db.sql.begin((tx) => lockDutch(tx, auctionId));
    expect(auction).toMatchObject({ format: 'dutch', closedAt: null, terms: { pricing: 'uniform' } });
    const at = (minute: number) => startsAt + minute * 60_000 + 1;
    const order = (buyerId: string, quantity: number, minute: number): QueuedBid => ({
      receiptId: uuidv7(),
      buyerId,
      quantity,
      unitPrice: priceAt(auction.terms, at(minute)),
      acceptedAt: at(minute),
    });
    const first = order(b1, 2, 0);
    const second = order(b2, 1, 3);
    await settleRun(auctionId, [first]);
    await settleRun(auctionId, [second]);
    expect([first.unitPrice, second.unitPrice]).toEqual([100, 70]);
    expect(await findMember(db.db, seller)).toMatchObject({ points: 0, heldPoints: 270 });
    expect(await auditLedger(db.sql, { auctionIds: [auctionId] })).toEqual([]);

    const closedAt = startsAt + 3_600_000 + 2_000;
    const close = () =>
      db.sql.begin(async (tx) => {
        const locked = await lockDutch(tx, auctionId);
        if (locked.closedAt !== null) return null;
        const purchases = await findPurchasedReceipts(tx, auctionId);
        const plan = closeAuction({ format: 'dutch', terms: locked.terms, stock: locked.stock, purchases }, closedAt);
        await closeAuctionRow(tx, { id: auctionId, closedAt, ...plan });
        await updateClosedReceipts(tx, plan.receipts);
        await appendLedger(tx, plan.moves);
        await applyBalanceDeltas(tx, balanceDeltasOf(plan.moves));
        return plan;
      });
    const plan = await close();
    expect(plan?.clearingPrice).toBe(70);
    expect(await close()).toBeNull();
    const rows = await db.sql.begin((tx) =>
      lockRefundReceipts(tx, auctionId, [first.receiptId, second.receiptId, uuidv4()]),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(first.receiptId)).toMatchObject({
      format: 'dutch',
      unitPrice: 100,
      finalUnitPrice: 70,
      rebate: 60,
    });
    expect(byId.get(second.receiptId)).toMatchObject({ unitPrice: 70, finalUnitPrice: 70, rebate: 0 });
    expect(await findMember(db.db, seller)).toMatchObject({ points: 210, heldPoints: 0 });
    expect(await findMember(db.db, b1)).toMatchObject({ points: 860, heldPoints: 0 });
    expect(await auditLedger(db.sql)).toEqual([]);
  });
});
