import { createTestDatabase, type TestDatabase } from '@dutch/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLedger } from './audit.ts';
import { type Book, hold, openBook, purchaseMoves, release } from './audit-fixtures.test-util.ts';

// The balance checks cover every member, so each test has a database of its own.
let db: TestDatabase;
let book: Book;
beforeEach(async () => {
  db = await createTestDatabase();
  book = openBook(db);
});
afterEach(async () => {
  await db.drop();
});

const CLOSED_AT = Date.UTC(2030, 0, 1, 1);
const closedAt = new Date(CLOSED_AT).toISOString();

/**
 * A uniform Dutch auction, closed: b1 bought 2 at 100, b2 1 at 80 (each purchase holding the
 * seller's takings); the close cleared at 80, released both holds and rebated b1 40.
 */
async function closedUniform() {
  const [seller, b1, b2] = [await book.member(), await book.member(1000), await book.member(1000)];
  const auction = await book.dutch(seller, { pricing: 'uniform' });
  const [r1, r2] = (await book.receipts(auction, [
    { buyerId: b1, status: 'PURCHASED', unitPrice: 100, quantity: 2 },
    { buyerId: b2, status: 'PURCHASED', unitPrice: 80 },
  ])) as [string, string];
  await book.move(...purchaseMoves(r1, b1, seller, 200, true), ...purchaseMoves(r2, b2, seller, 80, true));
  await book.move(
    release(r1, seller, 200),
    { kind: 'rebate', from: seller, to: b1, amount: 40, receiptId: r1 },
    release(r2, seller, 80),
  );
  await db.sql`update receipts set final_unit_price = 80, rebate = (unit_price - 80) * quantity where auction_id = ${auction}`;
  await db.sql`update auctions set closed_at = ${closedAt}, clearing_price = 80 where id = ${auction}`;
  return { seller, b1, b2, auction, r1, r2 };
}

/** An open English auction: b1 led at 100, b2 outbid them at 150, b1's 140 was too low. */
async function openEnglish(reservePrice: number | null = null) {
  const [seller, b1, b2] = [await book.member(), await book.member(1000), await book.member(1000)];
  const auction = await book.english(seller, { reservePrice });
  const [r1, r2] = (await book.receipts(auction, [
    { buyerId: b1, status: 'OUTBID', unitPrice: 100, format: 'english' },
    { buyerId: b2, status: 'LEADING', unitPrice: 150, format: 'english' },
    { buyerId: b1, status: 'FAILED', unitPrice: 140, format: 'english', failureReason: 'BID_TOO_LOW' },
  ])) as [string, string, string];
  await book.move(hold(r1, b1, 100), release(r1, b1, 100), hold(r2, b2, 150));
  await db.sql`update auctions set high_bid = 150, leader_id = ${b2}, leading_receipt_id = ${r2}, bid_count = 2
               where id = ${auction}`;
  return { seller, b1, b2, auction, r1, r2 };
}

/** The close of openEnglish(): b2 won at 150 (their hold released, then paid to the seller). */
async function closeEnglishWon(e: Awaited<ReturnType<typeof openEnglish>>) {
  await book.move(release(e.r2, e.b2, 150), {
    kind: 'purchase',
    from: e.b2,
    to: e.seller,
    amount: 150,
    receiptId: e.r2,
  });
  await db.sql`update receipts set status = 'WON' where id = ${e.r2}`;
  await db.sql`update auctions set closed_at = ${closedAt}, winner_id = ${e.b2}, final_price = 150 where id = ${e.auction}`;
}

const lineFor = (problems: string[], text: string) => problems.filter((line) => line.includes(text));

describe('auditLedger passes correct histories', () => {
  it('a closed uniform auction, then a refund after the close of the final price', async () => {
    const u = await closedUniform();
    expect(await auditLedger(db.sql)).toEqual([]);
    await book.move({ kind: 'refund', from: u.seller, to: u.b1, amount: 160, receiptId: u.r1 });
    await db.sql`update receipts set status = 'REFUNDED' where id = ${u.r1}`;
    await db.sql`update auctions set stock = stock + 2 where id = ${u.auction}`;
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('a uniform purchase refunded before the close (hold released first), then a close with nothing sold', async () => {
    const [seller, buyer] = [await book.member(), await book.member(500)];
    const auction = await book.dutch(seller, { pricing: 'uniform' });
    const [r] = (await book.receipts(auction, [{ buyerId: buyer, status: 'PURCHASED', unitPrice: 90 }])) as [string];
    await book.move(...purchaseMoves(r, buyer, seller, 90, true));
    expect(await auditLedger(db.sql)).toEqual([]);
    await book.move(release(r, seller, 90), { kind: 'refund', from: seller, to: buyer, amount: 90, receiptId: r });
    await db.sql`update receipts set status = 'REFUNDED' where id = ${r}`;
    await db.sql`update auctions set stock = stock + 1, closed_at = ${closedAt} where id = ${auction}`;
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('an English auction while open, once won, and after the winner is refunded', async () => {
    const e = await openEnglish();
    expect(await auditLedger(db.sql)).toEqual([]);
    await closeEnglishWon(e);
    expect(await auditLedger(db.sql)).toEqual([]);
    await book.move({ kind: 'refund', from: e.seller, to: e.b2, amount: 150, receiptId: e.r2 });
    await db.sql`update receipts set status = 'REFUNDED' where id = ${e.r2}`;
    expect(await auditLedger(db.sql)).toEqual([]);
  });

  it('an English auction closed below its reserve, and one closed with no bid', async () => {
    const e = await openEnglish(500);
    await book.move(release(e.r2, e.b2, 150));
    await db.sql`update receipts set status = 'RESERVE_NOT_MET' where id = ${e.r2}`;
    await db.sql`update auctions set closed_at = ${closedAt} where id = ${e.auction}`;
    const empty = await book.english(e.seller);
    await db.sql`update auctions set closed_at = ${closedAt} where id = ${empty}`;
    expect(await auditLedger(db.sql)).toEqual([]);
  });
});

describe('auditLedger catches', () => {
  it('held points that are not what the ledger says (though the total is right)', async () => {
    const e = await openEnglish();
    await db.sql`update members set held_points = held_points - 50, points = points + 50 where id = ${e.b2}`;
    const problems = await auditLedger(db.sql);
    expect(problems).toEqual([`member ${e.b2}: balance 900 (held 100), ledger says 850 (held 150)`]);
  });

  it('points that came from no charge', async () => {
    const member = await book.member(10);
    await db.sql`update members set held_points = 5 where id = ${member}`;
    const problems = await auditLedger(db.sql);
    expect(lineFor(problems, 'members hold 15 points in all (held included), but 10 were charged')).toHaveLength(1);
  });

  it('an open English lead whose hold was released, and a second LEADING receipt', async () => {
    const e = await openEnglish();
    await book.move(release(e.r2, e.b2, 150));
    await db.sql`update receipts set status = 'LEADING' where id = ${e.r1}`;
    const problems = await auditLedger(db.sql);
    expect(
      lineFor(problems, `receipt ${e.r2} (LEADING) has 1 release moves of 150 points, expected 0 of 0`),
    ).toHaveLength(1);
    expect(lineFor(problems, `English auction ${e.auction}: 2 LEADING receipts`)).toHaveLength(1);
    expect(lineFor(problems, `English auction ${e.auction}: 0 unreleased holds`)).toHaveLength(1);
  });

  it("a high bid or bid count that is not the receipts' story", async () => {
    const e = await openEnglish();
    await db.sql`update auctions set high_bid = 160, bid_count = 3 where id = ${e.auction}`;
    const problems = await auditLedger(db.sql);
    expect(lineFor(problems, 'bid count 3, but 2 receipts led')).toHaveLength(1);
    expect(lineFor(problems, 'high bid 160, but the highest leading receipt is 150')).toHaveLength(1);
    expect(lineFor(problems, `leading receipt ${e.r2} is not the leader's bid of 160`)).toHaveLength(1);
    expect(lineFor(problems, '1 unreleased holds (150')).toHaveLength(1);
  });

  it('a hold on someone other than the English bidder', async () => {
    const [seller, buyer] = [await book.member(100), await book.member(1000)];
    const auction = await book.english(seller);
    const [r] = (await book.receipts(auction, [
      { buyerId: buyer, status: 'LEADING', unitPrice: 100, format: 'english' },
    ])) as [string];
    await book.move(hold(r, seller, 100));
    await db.sql`update auctions set high_bid = 100, leader_id = ${buyer}, leading_receipt_id = ${r}, bid_count = 1
                 where id = ${auction}`;
    const problems = await auditLedger(db.sql);
    expect(problems).toEqual([`receipt ${r} has 1 moves between others than its parties`]);
  });

  it('a WON receipt without its purchase, or with one of another amount', async () => {
    const e = await openEnglish();
    await book.move(release(e.r2, e.b2, 150));
    await db.sql`update receipts set status = 'WON' where id = ${e.r2}`;
    await db.sql`update auctions set closed_at = ${closedAt}, winner_id = ${e.b2}, final_price = 150 where id = ${e.auction}`;
    expect(await auditLedger(db.sql)).toEqual([
      `receipt ${e.r2} (WON) has 0 purchase moves of 0 points, expected 1 of 150`,
    ]);
    await book.move({ kind: 'purchase', from: e.b2, to: e.seller, amount: 140, receiptId: e.r2 });
    expect(await auditLedger(db.sql)).toEqual([
      `receipt ${e.r2} (WON) has 1 purchase moves of 140 points, expected 1 of 150`,
    ]);
  });

  it('a LEADING receipt left on a closed English auction, and a winner the reserve did not allow', async () => {
    const e = await openEnglish(500);
    await db.sql`update auctions set closed_at = ${closedAt} where id = ${e.auction}`;
    const problems = await auditLedger(db.sql);
    expect(lineFor(problems, `English auction ${e.auction}: 1 LEADING receipts after the close`)).toHaveLength(1);
    expect(lineFor(problems, 'closed with the leading receipt LEADING, though the reserve was not met')).toHaveLength(
      1,
    );
    expect(lineFor(problems, '1 unreleased holds (150')).toHaveLength(1);
  });

  it('a winner on an auction that is not closed', async () => {
    const e = await openEnglish();
    await db.sql`update auctions set winner_id = ${e.b2}, final_price = 150 where id = ${e.auction}`;
    expect(await auditLedger(db.sql)).toEqual([`English auction ${e.auction}: a winner before the close`]);
  });

  it('a closed uniform purchase at another final price than the clearing price', async () => {
    const u = await closedUniform();
    await db.sql`update receipts set final_unit_price = 90, rebate = 20 where id = ${u.r1}`;
    const problems = await auditLedger(db.sql);
    expect(problems).toEqual([
      `receipt ${u.r1} (PURCHASED) has 1 rebate moves of 40 points, expected 1 of 20`,
      `auction ${u.auction}: clearing price 80, lowest price paid 80, 1 receipts at another final price and 0 PURCHASED left unpriced`,
    ]);
  });

  it('a clearing price that is not the lowest price paid, and a purchase the close left unpriced', async () => {
    const u = await closedUniform();
    await db.sql`update auctions set clearing_price = 70 where id = ${u.auction}`;
    await db.sql`update receipts set final_unit_price = null, rebate = 0 where id = ${u.r2}`;
    const problems = await auditLedger(db.sql);
    expect(lineFor(problems, `auction ${u.auction}: clearing price 70, lowest price paid 100`)).toHaveLength(1);
    expect(lineFor(problems, '1 PURCHASED left unpriced')).toHaveLength(1);
  });

  it("a uniform purchase without the seller's hold on the takings", async () => {
    const [seller, buyer] = [await book.member(), await book.member(1000)];
    const auction = await book.dutch(seller, { pricing: 'uniform' });
    const [r1, r2] = (await book.receipts(auction, [
      { buyerId: buyer, status: 'PURCHASED', unitPrice: 100 },
      { buyerId: buyer, status: 'PURCHASED', unitPrice: 90 },
    ])) as [string, string];
    await book.move(...purchaseMoves(r1, buyer, seller, 100, true), ...purchaseMoves(r2, buyer, seller, 90, false));
    expect(await auditLedger(db.sql)).toEqual([
      `receipt ${r2} (PURCHASED) has 0 hold moves of 0 points, expected 1 of 90`,
    ]);
  });

  it('a rebate on a uniform auction not closed yet', async () => {
    // The takings are held until the close: this seller pays from points of their own.
    const [seller, buyer] = [await book.member(50), await book.member(1000)];
    const auction = await book.dutch(seller, { pricing: 'uniform' });
    const [r] = (await book.receipts(auction, [{ buyerId: buyer, status: 'PURCHASED', unitPrice: 100 }])) as [string];
    await book.move(...purchaseMoves(r, buyer, seller, 100, true));
    await book.move({ kind: 'rebate', from: seller, to: buyer, amount: 10, receiptId: r });
    await db.sql`update receipts set final_unit_price = 90, rebate = 10 where id = ${r}`;
    expect(await auditLedger(db.sql)).toEqual([
      `auction ${auction}: 1 receipts with a final price or rebate (clearing null), but no uniform close`,
    ]);
  });

  it('a rebate on a closed pay-as-bid auction', async () => {
    const [seller, buyer] = [await book.member(), await book.member(1000)];
    const auction = await book.dutch(seller);
    const [r] = (await book.receipts(auction, [{ buyerId: buyer, status: 'PURCHASED', unitPrice: 100 }])) as [string];
    await book.move(...purchaseMoves(r, buyer, seller, 100, false));
    await book.move({ kind: 'rebate', from: seller, to: buyer, amount: 10, receiptId: r });
    await db.sql`update receipts set final_unit_price = 90, rebate = 10 where id = ${r}`;
    await db.sql`update auctions set closed_at = ${closedAt} where id = ${auction}`;
    expect(await auditLedger(db.sql)).toEqual([
      `auction ${auction}: 1 receipts with a final price or rebate (clearing null), but no uniform close`,
    ]);
  });

  it('a rebate on an English receipt, without its ledger row', async () => {
    const e = await openEnglish();
    await db.sql`update receipts set rebate = 5 where id = ${e.r1}`;
    expect(await auditLedger(db.sql, { auctionIds: [e.auction] })).toEqual([
      `receipt ${e.r1} (OUTBID) has 0 rebate moves of 0 points, expected 1 of 5`,
      `auction ${e.auction}: 1 receipts with a final price or rebate (clearing null), but no uniform close`,
    ]);
  });
});
