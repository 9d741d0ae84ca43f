import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SELLER, sec, T0, terms } from './fixtures.test-util.ts';
import { priceAt } from './price-schedule.ts';
import { settleBids } from './settle-bids.ts';
import { checkRefundable, type RefundableReceipt, receiptAfterRefund, settleRefunds } from './settle-refunds.ts';

const a = terms({ initialStock: 10 });
const ended = a.endsAt;
const receipt = (
  id: string,
  buyerId: string,
  quantity: number,
  status: RefundableReceipt['status'] = 'PURCHASED',
): RefundableReceipt => ({
  receiptId: id,
  buyerId,
  status,
  quantity,
  total: quantity * 100,
});

describe('checkRefundable', () => {
  it('refuses before endsAt, allows from exactly endsAt', () => {
    expect(checkRefundable({ status: 'PURCHASED' }, a, ended - 1)).toMatchObject({
      ok: false,
      error: { code: 'AUCTION_NOT_ENDED' },
    });
    expect(checkRefundable({ status: 'PURCHASED' }, a, ended)).toEqual({ ok: true, value: true });
  });

  it('refuses anything but a PURCHASED or WON receipt', () => {
    expect(checkRefundable({ status: 'WON' }, a, ended)).toEqual({ ok: true, value: true });
    const others = ['PENDING', 'FAILED', 'REFUND_PENDING', 'REFUNDED', 'LEADING', 'OUTBID', 'RESERVE_NOT_MET'] as const;
    for (const status of others) {
      expect(checkRefundable({ status }, a, ended)).toMatchObject({ ok: false, error: { code: 'NOT_REFUNDABLE' } });
    }
  });
});

describe('settleRefunds', () => {
  it('moves points back from seller to buyer and units back to stock', () => {
    const result = settleRefunds(
      a,
      {
        stock: 5,
        points: new Map([
          [SELLER, 500],
          ['x', 0],
        ]),
      },
      [{ receipt: receipt('1', 'x', 2), requestedAt: ended }],
    );
    expect(result.outcomes).toEqual([{ receiptId: '1', result: 'REFUNDED', quantity: 2, total: 200, buyerId: 'x' }]);
    expect(result.stockAfter).toBe(7);
    expect(Object.fromEntries(result.pointDeltas)).toEqual({ [SELLER]: -200, x: 200 });
  });

  it('never puts stock above the initial stock', () => {
    const result = settleRefunds(a, { stock: 9, points: new Map([[SELLER, 500]]) }, [
      { receipt: receipt('1', 'x', 2), requestedAt: ended },
    ]);
    expect(result.stockAfter).toBe(10);
  });

  it('leaves the receipt PURCHASED with a reason when the seller cannot pay', () => {
    const result = settleRefunds(a, { stock: 0, points: new Map([[SELLER, 250]]) }, [
      { receipt: receipt('1', 'x', 2), requestedAt: ended },
      { receipt: receipt('2', 'y', 1), requestedAt: ended },
    ]);
    // 250 pays back the first (200) but not the second (100): refunds go in order too.
    expect(result.outcomes.map((o) => o.result)).toEqual(['REFUNDED', 'SELLER_INSUFFICIENT_POINTS']);
    expect(result.stockAfter).toBe(2);
  });

  it('ignores refunds of receipts already refunded, failed, or asked too early, and duplicates in one batch', () => {
    const result = settleRefunds(a, { stock: 0, points: new Map([[SELLER, 10_000]]) }, [
      { receipt: receipt('1', 'x', 1, 'REFUNDED'), requestedAt: ended },
      { receipt: receipt('2', 'x', 1, 'FAILED'), requestedAt: ended },
      { receipt: receipt('3', 'x', 1), requestedAt: ended - 1 },
      { receipt: receipt('4', 'x', 1), requestedAt: ended },
      { receipt: receipt('4', 'x', 1), requestedAt: ended + sec(1) },
    ]);
    expect(result.outcomes.map((o) => o.result)).toEqual(['IGNORED', 'IGNORED', 'IGNORED', 'REFUNDED', 'IGNORED']);
    expect(result.stockAfter).toBe(1);
  });
});

describe('settleRefunds: won lots and uniform pricing', () => {
  it('refunds a WON English receipt from the seller, stock staying at its one lot', () => {
    const english = { sellerId: SELLER, endsAt: ended, initialStock: 1 };
    const won: RefundableReceipt = { receiptId: 'w', buyerId: 'x', status: 'WON', quantity: 1, total: 340 };
    const result = settleRefunds(english, { stock: 1, points: new Map([[SELLER, 400]]) }, [
      { receipt: won, requestedAt: ended },
    ]);
    expect(result.outcomes).toEqual([{ receiptId: 'w', result: 'REFUNDED', quantity: 1, total: 340, buyerId: 'x' }]);
    expect(result.moves).toEqual([{ kind: 'refund', from: SELLER, to: 'x', amount: 340, receiptId: 'w' }]);
    expect(result.stockAfter).toBe(1);
  });

  it('after a uniform close, gives back total - rebate (= finalUnitPrice * quantity) from free points', () => {
    const rebated: RefundableReceipt = { ...receipt('1', 'x', 2), rebate: 40 };
    const result = settleRefunds(a, { stock: 0, points: new Map([[SELLER, 160]]) }, [
      { receipt: rebated, requestedAt: ended },
    ]);
    expect(result.outcomes).toMatchObject([{ result: 'REFUNDED', total: 160 }]);
    expect(Object.fromEntries(result.pointDeltas)).toEqual({ [SELLER]: -160, x: 160 });
    expect(result.heldDeltas.size).toBe(0);
  });

  it('before a uniform close, releases the seller hold on the receipt first, so the refund is always payable', () => {
    const held = { ...a, sellerTakingsHeld: true };
    // The seller has spent every free point: the held takings still pay.
    const result = settleRefunds(held, { stock: 0, points: new Map([[SELLER, 0]]) }, [
      { receipt: receipt('1', 'x', 2), requestedAt: ended },
    ]);
    expect(result.outcomes).toMatchObject([{ result: 'REFUNDED', total: 200 }]);
    expect(result.moves).toEqual([
      { kind: 'release', from: SELLER, to: SELLER, amount: 200, receiptId: '1' },
      { kind: 'refund', from: SELLER, to: 'x', amount: 200, receiptId: '1' },
    ]);
    expect(Object.fromEntries(result.pointDeltas)).toEqual({ x: 200 });
    expect(Object.fromEntries(result.heldDeltas)).toEqual({ [SELLER]: -200 });
  });
});

describe('receiptAfterRefund', () => {
  it('returns a WON receipt the seller cannot pay back to WON, with the reason', () => {
    expect(receiptAfterRefund({ receiptId: 'w', result: 'SELLER_INSUFFICIENT_POINTS' }, 'WON')).toEqual({
      status: 'WON',
      failureReason: 'SELLER_INSUFFICIENT_POINTS',
    });
  });

  it('marks a refund REFUNDED, and a refund the seller cannot pay PURCHASED with the reason', () => {
    const refunded = { receiptId: '1', result: 'REFUNDED', quantity: 1, total: 100, buyerId: 'x' } as const;
    expect(receiptAfterRefund(refunded, 'REFUND_PENDING')).toEqual({ status: 'REFUNDED', failureReason: null });
    expect(receiptAfterRefund({ receiptId: '1', result: 'SELLER_INSUFFICIENT_POINTS' }, 'REFUND_PENDING')).toEqual({
      status: 'PURCHASED',
      failureReason: 'SELLER_INSUFFICIENT_POINTS',
    });
  });

  it('takes the REFUND_PENDING mark off a request that came too early, and otherwise leaves the receipt alone', () => {
    const early = { receiptId: '1', result: 'IGNORED', why: 'AUCTION_NOT_ENDED' } as const;
    expect(receiptAfterRefund(early, 'REFUND_PENDING')).toEqual({ status: 'PURCHASED', failureReason: null });
    expect(receiptAfterRefund(early, 'PURCHASED')).toBeNull();
    const refused = { receiptId: '1', result: 'IGNORED', why: 'NOT_REFUNDABLE' } as const;
    for (const status of ['REFUNDED', 'FAILED', 'PURCHASED'] as const)
      expect(receiptAfterRefund(refused, status)).toBeNull();
  });
});

describe('refund laws', () => {
  it('purchases then refunds restore stock and every balance, and conserve points throughout', () => {
    const arb = fc.array(
      fc.record({ quantity: fc.integer({ min: 1, max: 3 }), points: fc.integer({ min: 0, max: 1_000 }) }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 2_000 }), (buyers, sellerPoints) => {
        const auction = terms({ initialStock: 20, perBuyerLimit: 3 });
        const points = new Map([...buyers.map((b, i) => [`b${i}`, b.points] as const), [SELLER, sellerPoints]]);
        const bids = buyers.map((b, i) => ({
          receiptId: `r${i}`,
          buyerId: `b${i}`,
          quantity: b.quantity,
          unitPrice: priceAt(auction, T0),
          acceptedAt: T0,
        }));
        const bought = settleBids(auction, { stock: 20, points, held: new Map() }, bids);
        const afterBuy = new Map(points);
        for (const [m, d] of bought.pointDeltas) afterBuy.set(m, (afterBuy.get(m) ?? 0) + d);

        const requests = bought.outcomes
          .filter((o) => o.status === 'PURCHASED')
          .map((o) => ({
            receipt: {
              receiptId: o.receiptId,
              buyerId: o.buyerId,
              status: 'PURCHASED' as const,
              quantity: o.quantity,
              total: o.total,
            },
            requestedAt: auction.endsAt,
          }));
        const refunded = settleRefunds(auction, { stock: bought.stockAfter, points: afterBuy }, requests);
        const afterRefund = new Map(afterBuy);
        for (const [m, d] of refunded.pointDeltas) afterRefund.set(m, (afterRefund.get(m) ?? 0) + d);

        const total = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
        expect(total(afterBuy)).toBe(total(points));
        expect(total(afterRefund)).toBe(total(points));
        expect(refunded.stockAfter).toBe(20);
        for (const [member, balance] of afterRefund) {
          expect(balance).toBeGreaterThanOrEqual(0);
          expect(balance).toBe(points.get(member));
        }
      }),
    );
  });
});
