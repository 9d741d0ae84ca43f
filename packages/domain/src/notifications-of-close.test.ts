import { describe, expect, it } from 'vitest';
import { type CloseInput, closeAuction } from './close-auction.ts';
import { describeNotification } from './describe-notification.ts';
import { openingLead } from './english.ts';
import { englishTerms, SELLER, sec, T0, terms } from './fixtures.test-util.ts';
import { expectBuyerSafe } from './notification-checks.test-util.ts';
import { notificationsOfClose } from './notifications-of-close.ts';

const LAMP = { id: 'auction-1', title: 'Lamp', sellerId: SELLER };
const VASE = { id: 'auction-2', title: 'Vase', sellerId: SELLER };
const purchase = (receiptId: string, buyerId: string, quantity: number, unitPrice: number) => ({
  receiptId,
  buyerId,
  quantity,
  unitPrice,
  total: quantity * unitPrice,
});
const closeOf = (input: CloseInput, auction: typeof LAMP) =>
  notificationsOfClose(auction, closeAuction(input, T0 + sec(601)), input);

describe('notificationsOfClose, Dutch', () => {
  const purchases = [purchase('r1', 'a', 2, 60), purchase('r2', 'b', 1, 40), purchase('r3', 'a', 1, 40)];

  it('uniform: a rebate per receipt rebated, to its buyer; the seller hears units sold and takings less rebates', () => {
    const input: CloseInput = { format: 'dutch', terms: terms({ pricing: 'uniform' }), stock: 6, purchases };
    const drafts = closeOf(input, LAMP);
    expect(drafts).toEqual([
      {
        memberId: 'a',
        kind: 'rebate',
        auctionId: 'auction-1',
        receiptId: 'r1',
        data: { title: 'Lamp', rebate: 40, quantity: 2, finalUnitPrice: 40 },
        dedupeKey: 'rebate:r1',
      },
      {
        memberId: SELLER,
        kind: 'sold',
        auctionId: 'auction-1',
        receiptId: null,
        data: { title: 'Lamp', format: 'dutch', closeStatus: 'ended', unitsSold: 4, pointsEarned: 160 },
        dedupeKey: 'sold:auction-1',
      },
    ]);
    expect(drafts.map((d) => describeNotification(d.kind, d.data))).toEqual([
      'You got 40 points back on Lamp: everyone pays the clearing price of 40 points a unit.',
      'Your auction Lamp closed: 4 units sold, 160 points earned.',
    ]);
    expectBuyerSafe(drafts[0] ?? expect.fail('no rebate'));
  });

  it('pay-as-bid: only the seller hears, with every total kept', () => {
    const input: CloseInput = { format: 'dutch', terms: terms(), stock: 6, purchases };
    const drafts = closeOf(input, LAMP);
    expect(drafts.map((d) => [d.memberId, d.kind, d.data.unitsSold, d.data.pointsEarned])).toEqual([
      [SELLER, 'sold', 4, 200],
    ]);
  });

  it('sold out before the end says so; nothing sold still tells the seller, once', () => {
    const soldOut: CloseInput = { format: 'dutch', terms: terms(), stock: 0, purchases };
    const early = notificationsOfClose(LAMP, closeAuction(soldOut, T0 + sec(30)), soldOut);
    expect(early.map((d) => d.data.closeStatus)).toEqual(['sold_out']);
    const none: CloseInput = { format: 'dutch', terms: terms({ pricing: 'uniform' }), stock: 10, purchases: [] };
    const drafts = closeOf(none, LAMP);
    expect(drafts.map((d) => [d.dedupeKey, d.data.unitsSold, d.data.pointsEarned])).toEqual([['sold:auction-1', 0, 0]]);
    expect(describeNotification('sold', drafts[0]?.data ?? {})).toBe('Your auction Lamp closed with nothing sold.');
  });
});

describe('notificationsOfClose, English', () => {
  const lead = { ...openingLead(englishTerms()), highBid: 150, leaderId: 'a', leadingReceiptId: 'r7', bidCount: 3 };

  it('WON to the leader, the sale to the seller', () => {
    const input: CloseInput = { format: 'english', terms: englishTerms({ reservePrice: 150 }), lead };
    const drafts = closeOf(input, VASE);
    expect(drafts).toEqual([
      {
        memberId: 'a',
        kind: 'receipt',
        auctionId: 'auction-2',
        receiptId: 'r7',
        data: { title: 'Vase', status: 'WON', amount: 150 },
        dedupeKey: 'receipt:r7:WON',
      },
      {
        memberId: SELLER,
        kind: 'sold',
        auctionId: 'auction-2',
        receiptId: null,
        data: { title: 'Vase', format: 'english', closeStatus: 'ended', unitsSold: 1, pointsEarned: 150 },
        dedupeKey: 'sold:auction-2',
      },
    ]);
    expect(drafts.map((d) => describeNotification(d.kind, d.data))).toEqual([
      'You won Vase for 150 points.',
      'Your auction Vase sold for 150 points.',
    ]);
  });

  it('RESERVE_NOT_MET to the leader without the reserve; the seller sold nothing', () => {
    const input: CloseInput = { format: 'english', terms: englishTerms({ reservePrice: 987 }), lead };
    const drafts = closeOf(input, VASE);
    expect(drafts.map((d) => [d.memberId, d.dedupeKey, d.data.unitsSold ?? d.data.amount])).toEqual([
      ['a', 'receipt:r7:RESERVE_NOT_MET', 150],
      [SELLER, 'sold:auction-2', 0],
    ]);
    const leader = drafts[0] ?? expect.fail('no receipt notification');
    expectBuyerSafe(leader);
    expect(JSON.stringify(leader)).not.toContain('987');
  });

  it('no bid at all: only the seller hears', () => {
    const input: CloseInput = { format: 'english', terms: englishTerms(), lead: openingLead(englishTerms()) };
    expect(closeOf(input, VASE).map((d) => [d.memberId, d.kind, d.data.pointsEarned])).toEqual([[SELLER, 'sold', 0]]);
  });
});
