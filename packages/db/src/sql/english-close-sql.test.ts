import {
  balanceDeltasOf,
  closeAuction,
  closesNow,
  type EnglishBidOutcome,
  type QueuedEnglishBid,
  settleEnglishBids,
} from '@dutch/domain';
import { createTestDatabase, type TestDatabase } from '@dutch/testkit';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLedger } from '../audit.ts';
import { openBook } from '../audit-fixtures.test-util.ts';
import type { Tx } from '../client.ts';
import { appendLedger } from './append-ledger.ts';
import { applyBalanceDeltas } from './apply-balance-deltas.ts';
import { closeAuctionRow } from './close-auction-row.ts';
import { findBidAuction, loadOpenAuctions } from './find-bid-auctions.ts';
import { findDueCloses } from './find-due-closes.ts';
import { insertReceipts } from './insert-receipts.ts';
import { type LockedEnglishAuction, lockAuction } from './lock-auction.ts';
import { lockMembers } from './lock-members.ts';
import { markOutbid } from './mark-outbid.ts';
import { saveEnglishLead } from './save-english-lead.ts';
import { updateClosedReceipts } from './update-closed-receipts.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function lockEnglish(tx: Tx, auctionId: string): Promise<LockedEnglishAuction> {
  const locked = await lockAuction(tx, auctionId, null);
  if (locked?.auction.format !== 'english') throw new Error('not an English auction');
  return locked.auction;
}

/** One English run as the consumer settles it: the domain decides, these writes record it, set-based. */
async function settleRun(auctionId: string, bids: readonly QueuedEnglishBid[]): Promise<EnglishBidOutcome[]> {
  return db.sql.begin(async (tx) => {
    const auction = await lockEnglish(tx, auctionId);
    const buyers = [...bids.map((b) => b.buyerId), ...(auction.lead.leaderId === null ? [] : [auction.lead.leaderId])];
    const points = await lockMembers(tx, buyers);
    const settlement = settleEnglishBids(auction.terms, { lead: auction.lead, points }, bids);
    const firstSeq = auction.settledCount + 1;
    auction.settledCount += settlement.outcomes.length;
    auction.lead = settlement.lead;
    const receipts = settlement.outcomes.map((x, i) => ({
      id: x.receiptId,
      buyerId: x.buyerId,
      quantity: 1,
      unitPrice: x.amount,
      total: x.amount,
      status: x.status,
      failureReason: x.status === 'FAILED' ? x.reason : null,
      acceptedAt: (bids[i] as QueuedEnglishBid).acceptedAt,
      streamId: `${(bids[i] as QueuedEnglishBid).acceptedAt}-${i}`,
      format: 'english' as const,
    }));
    const settledAt = Date.now();
    await Promise.all([
      insertReceipts(tx, { auctionId, sellerId: auction.terms.sellerId, firstSeq, settledAt }, receipts),
      markOutbid(
        tx,
        settlement.outbid.map((o) => o.receiptId),
      ),
      appendLedger(tx, settlement.moves),
      applyBalanceDeltas(tx, balanceDeltasOf(settlement.moves)),
      saveEnglishLead(tx, auction),
    ]);
    return [...settlement.outcomes];
  });
}

const bid = (buyerId: string, amount: number, acceptedAt: number): QueuedEnglishBid => ({
  receiptId: uuidv7(),
  buyerId,
  amount,
  acceptedAt,
});

describe('the English writes, driven by the domain', () => {
  it('settles runs (outbid across runs, a soft-close extension), closes once, and keeps the ledger whole', async () => {
    const book = openBook(db);
    const [seller, b1, b2] = [await book.member(), await book.member(1000), await book.member(300)];
    const startsAt = Date.now() - 60_000;
    const endsAt = startsAt + 600_000;
    const auctionId = await book.english(seller, { startsAt, endsAt, extendSeconds: 30, reservePrice: 150 });

    const first = await settleRun(auctionId, [
      bid(b1, 100, startsAt + 1),
      bid(b2, 150, startsAt + 2),
      bid(b1, 155, startsAt + 3),
    ]);
    expect(first.map((x) => x.status)).toEqual(['OUTBID', 'LEADING', 'FAILED']);
    expect(await auditLedger(db.sql, { auctionIds: [auctionId] })).toEqual([]);

    // b1 outbids the lead of the earlier run in the last 30 s: b2's receipt turns OUTBID, the end moves.
    const late = endsAt - 10_000;
    const second = await settleRun(auctionId, [bid(b1, 400, late)]);
    expect(second.map((x) => x.status)).toEqual(['LEADING']);
    const row = await findBidAuction(db.sql, auctionId);
    expect(row).toMatchObject({ format: 'english', highBid: 400, bidCount: 3, leaderId: b1, endsAt: late + 30_000 });
    expect(row?.leadingReceiptId).toBe(second[0]?.receiptId);
    expect(row?.closedAt).toBeNull();
    expect((await loadOpenAuctions(db.sql)).map((a) => a.id)).toContain(auctionId);
    const statuses = await db.sql<{ status: string }[]>`
      select status from receipts where auction_id = ${auctionId} order by settle_seq`;
    expect(statuses.map((r) => r.status)).toEqual(['OUTBID', 'OUTBID', 'FAILED', 'LEADING']);
    const [held] = await db.sql<{ points: number; held: number }[]>`
      select points, held_points as held from members where id = ${b1}`;
    expect(held).toEqual({ points: 600, held: 400 });
    expect(await auditLedger(db.sql, { auctionIds: [auctionId] })).toEqual([]);

    // The old end's close is premature; the current end's closes it, once.
    const closedAt = late + 30_000 + 2_000;
    const closeOnce = () =>
      db.sql.begin(async (tx) => {
        const auction = await lockEnglish(tx, auctionId);
        if (
          auction.closedAt !== null ||
          !closesNow({ format: 'english', stock: 1, endsAt: auction.lead.endsAt }, late + 30_000)
        ) {
          return false;
        }
        const plan = closeAuction({ format: 'english', terms: auction.terms, lead: auction.lead }, closedAt);
        const closed = await closeAuctionRow(tx, { id: auctionId, closedAt, ...plan });
        await updateClosedReceipts(tx, plan.receipts);
        await appendLedger(tx, plan.moves);
        await applyBalanceDeltas(tx, balanceDeltasOf(plan.moves));
        return closed;
      });
    expect(closesNow({ format: 'english', stock: 1, endsAt: late + 30_000 }, endsAt)).toBe(false);
    expect(await closeOnce()).toBe(true);
    expect(await closeOnce()).toBe(false);
    const after = await db.sql.begin((tx) => lockEnglish(tx, auctionId));
    expect(after.closedAt).toBe(closedAt);
    const [result] = await db.sql<{ winner: string; price: number; status: string }[]>`
      select a.winner_id as winner, a.final_price as price, r.status
      from auctions a join receipts r on r.id = a.leading_receipt_id where a.id = ${auctionId}`;
    expect(result).toEqual({ winner: b1, price: 400, status: 'WON' });
    const balances = await db.sql<{ id: string; points: number; held: number }[]>`
      select id, points, held_points as held from members where id = any(${[b1, b2, seller]}::uuid[])`;
    expect(new Map(balances.map((m) => [m.id, [m.points, m.held]]))).toEqual(
      new Map([
        [b1, [600, 0]],
        [b2, [300, 0]],
        [seller, [400, 0]],
      ]),
    );
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('markOutbid and updateClosedReceipts change only receipts still LEADING (or PURCHASED)', async () => {
    const book = openBook(db);
    const [seller, buyer] = [await book.member(), await book.member(100)];
    const auctionId = await book.english(seller);
    const [won, failed] = (await book.receipts(auctionId, [
      { buyerId: buyer, status: 'WON', unitPrice: 100, format: 'english' },
      { buyerId: buyer, status: 'FAILED', unitPrice: 100, format: 'english', failureReason: 'BID_TOO_LOW' },
    ])) as [string, string];
    expect(await db.sql.begin((tx) => markOutbid(tx, [won, failed]))).toEqual([]);
    expect(await db.sql.begin((tx) => markOutbid(tx, []))).toEqual([]);
    const closes = [{ receiptId: won, status: 'RESERVE_NOT_MET' as const }];
    expect(await db.sql.begin((tx) => updateClosedReceipts(tx, closes))).toEqual([]);
  });
});

describe('findDueCloses', () => {
  it('finds what the domain says is due: ended past the grace, Dutch sold out at once; never closed or withdrawn ones', async () => {
    const book = openBook(db);
    const seller = await book.member();
    const now = Date.UTC(2031, 0, 1);
    const window = { startsAt: now - 600_000, endsAt: now - 1_000 };
    const endedInGrace = await book.dutch(seller, window);
    const endedLongAgo = await book.english(seller, { ...window, endsAt: now - 5_000 });
    const soldOut = await book.dutch(seller, { startsAt: now - 1_000, endsAt: now + 600_000 });
    const running = await book.dutch(seller, { startsAt: now - 1_000, endsAt: now + 600_000 });
    const closed = await book.dutch(seller, { ...window, endsAt: now - 9_000 });
    const withdrawn = await book.dutch(seller, { ...window, endsAt: now - 9_000 });
    await db.sql`update auctions set stock = 0 where id = ${soldOut}`;
    await db.sql`update auctions set closed_at = now() where id = ${closed}`;
    await db.sql`update auctions set deleted_at = now() where id = ${withdrawn}`;
    const mine = new Set([endedInGrace, endedLongAgo, soldOut, running, closed, withdrawn]);
    const due = (await findDueCloses(db.sql, now, 2_000, 100)).filter((row) => mine.has(row.id));
    expect(due).toEqual([
      { id: endedLongAgo, format: 'english', stock: 1, startsAt: window.startsAt, endsAt: now - 5_000 },
      { id: soldOut, format: 'dutch', stock: 0, startsAt: now - 1_000, endsAt: now + 600_000 },
    ]);
    // The closer's walk can go by the partial index of open auctions (the table is too small to need it here).
    const plan = await db.sql.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      return tx`explain select id from auctions where closed_at is null and deleted_at is null
                  and (ends_at <= now() or (format = 'dutch' and stock = 0)) order by ends_at limit 5`;
    });
    expect(JSON.stringify(plan)).toContain('auctions_unclosed_idx');
  });
});
