import { describe, expect, it } from 'vitest';
import { type EnglishLead, openingLead } from './english.ts';
import { englishTerms, sec, T0 } from './fixtures.test-util.ts';
import { type EnglishLedgerState, type QueuedEnglishBid, settleEnglishBids } from './settle-english-bids.ts';

const t = englishTerms({ startPrice: 100, minIncrement: 10, endsAt: T0 + sec(600) });
const bid = (receiptId: string, buyerId: string, amount: number, acceptedAt = T0 + sec(1)): QueuedEnglishBid => ({
  receiptId,
  buyerId,
  amount,
  acceptedAt,
});
const state = (points: Record<string, number>, lead: EnglishLead = openingLead(t)): EnglishLedgerState => ({
  lead,
  points: new Map(Object.entries(points)),
});
const statuses = (s: ReturnType<typeof settleEnglishBids>) =>
  s.outcomes.map((o) => (o.status === 'FAILED' ? o.reason : o.status));

describe('settleEnglishBids', () => {
  it('holds the first bid that reaches startPrice and makes it the lead', () => {
    const s = settleEnglishBids(t, state({ a: 500 }), [bid('r1', 'a', 120)]);
    expect(statuses(s)).toEqual(['LEADING']);
    expect(s.moves).toEqual([{ kind: 'hold', from: 'a', to: 'a', amount: 120, receiptId: 'r1' }]);
    expect(s.lead).toEqual({ highBid: 120, leaderId: 'a', leadingReceiptId: 'r1', bidCount: 1, endsAt: t.endsAt });
    expect(s.outbid).toEqual([]);
    expect(s.extendedTo).toBeNull();
  });

  it('outbids within a run: the earlier leader becomes OUTBID and gets the hold back first', () => {
    const s = settleEnglishBids(t, state({ a: 500, b: 500 }), [bid('r1', 'a', 100), bid('r2', 'b', 110)]);
    expect(statuses(s)).toEqual(['OUTBID', 'LEADING']);
    expect(s.moves.map((m) => [m.kind, m.from, m.amount, m.receiptId])).toEqual([
      ['hold', 'a', 100, 'r1'],
      ['release', 'a', 100, 'r1'],
      ['hold', 'b', 110, 'r2'],
    ]);
    expect(s.outbid).toEqual([]);
    expect(s.lead.bidCount).toBe(2);
  });

  it('names the receipt of an earlier run that this run outbid', () => {
    const lead: EnglishLead = { highBid: 150, leaderId: 'a', leadingReceiptId: 'r0', bidCount: 3, endsAt: t.endsAt };
    const s = settleEnglishBids(t, state({ b: 1000 }, lead), [bid('r1', 'b', 160)]);
    expect(s.outbid).toEqual([{ receiptId: 'r0', buyerId: 'a', amount: 150 }]);
    expect(s.moves[0]).toEqual({ kind: 'release', from: 'a', to: 'a', amount: 150, receiptId: 'r0' });
    expect(s.lead).toMatchObject({ highBid: 160, leaderId: 'b', leadingReceiptId: 'r1', bidCount: 4 });
  });

  it('lets a leader raise their own bid with only the difference free', () => {
    const lead: EnglishLead = { highBid: 100, leaderId: 'a', leadingReceiptId: 'r0', bidCount: 1, endsAt: t.endsAt };
    const s = settleEnglishBids(t, state({ a: 50 }, lead), [bid('r1', 'a', 150), bid('r2', 'a', 161)]);
    expect(statuses(s)).toEqual(['LEADING', 'INSUFFICIENT_POINTS']);
    expect(s.outbid).toEqual([{ receiptId: 'r0', buyerId: 'a', amount: 100 }]);
    expect(s.lead.highBid).toBe(150);
  });

  it('fails a bid below the minimum next bid, and one its buyer cannot cover, without moving the lead', () => {
    const s = settleEnglishBids(t, state({ a: 500, poor: 105 }), [
      bid('r1', 'a', 99),
      bid('r2', 'a', 100),
      bid('r3', 'poor', 109),
      bid('r4', 'poor', 110),
    ]);
    expect(statuses(s)).toEqual(['BID_TOO_LOW', 'LEADING', 'BID_TOO_LOW', 'INSUFFICIENT_POINTS']);
    expect(s.lead).toMatchObject({ highBid: 100, leaderId: 'a', bidCount: 1 });
    expect(s.moves).toHaveLength(1);
  });

  it('fails bids outside [startsAt, current end) and on closed or withdrawn auctions', () => {
    const points = { a: 1000 };
    const early = settleEnglishBids(t, state(points), [bid('r1', 'a', 100, T0 - 1), bid('r2', 'a', 100, t.endsAt)]);
    expect(statuses(early)).toEqual(['AUCTION_NOT_RUNNING', 'AUCTION_NOT_RUNNING']);
    const closed = settleEnglishBids(t, { ...state(points), closed: true }, [bid('r1', 'a', 100)]);
    const withdrawn = settleEnglishBids(t, { ...state(points), withdrawn: true }, [bid('r1', 'a', 100)]);
    expect([...statuses(closed), ...statuses(withdrawn)]).toEqual(['AUCTION_NOT_RUNNING', 'AUCTION_NOT_RUNNING']);
    expect(closed.moves).toEqual([]);
  });

  it('soft close: a leading bid within extendSeconds of the end moves the end, and later bids meet the new end', () => {
    const soft = englishTerms({ extendSeconds: 30, endsAt: T0 + sec(600) });
    const s = settleEnglishBids(soft, state({ a: 1000, b: 1000 }, openingLead(soft)), [
      bid('r1', 'a', 100, T0 + sec(500)), // 100 s before the end: no extension
      bid('r2', 'b', 110, T0 + sec(590)), // 10 s before: end -> 620 s
      bid('r3', 'a', 120, T0 + sec(610)), // after the scheduled end, before the new one: on time; end -> 640 s
      bid('r4', 'b', 130, T0 + sec(640)), // at the current end: late
    ]);
    expect(statuses(s)).toEqual(['OUTBID', 'OUTBID', 'LEADING', 'AUCTION_NOT_RUNNING']);
    expect(s.lead.endsAt).toBe(T0 + sec(640));
    expect(s.extendedTo).toBe(T0 + sec(640));
  });

  it('does not extend for a bid that fails, nor without extendSeconds', () => {
    const soft = englishTerms({ extendSeconds: 30, endsAt: T0 + sec(600) });
    const failed = settleEnglishBids(soft, state({ a: 10 }, openingLead(soft)), [bid('r1', 'a', 100, T0 + sec(595))]);
    expect(failed.extendedTo).toBeNull();
    const none = settleEnglishBids(t, state({ a: 1000 }), [bid('r1', 'a', 100, t.endsAt - 1)]);
    expect(none.lead.endsAt).toBe(t.endsAt);
  });

  it('fails a retry of the same Idempotency-Key as a duplicate, pointing at the first receipt', () => {
    const idempotency = { key: 'k', windowMs: 86_400_000 };
    const s = settleEnglishBids(t, state({ a: 1000 }), [
      { ...bid('r1', 'a', 100), idempotency },
      { ...bid('r2', 'a', 200), idempotency },
    ]);
    expect(s.outcomes[0]).toMatchObject({ status: 'LEADING', idempotencyKey: 'k' });
    expect(s.outcomes[1]).toMatchObject({ status: 'FAILED', reason: 'DUPLICATE_REQUEST', duplicateOf: 'r1' });
    const known = new Map([['a k', { receiptId: 'r0', acceptedAt: T0 }]]);
    const later = settleEnglishBids(t, { ...state({ a: 1000 }), keyedReceipts: known }, [
      { ...bid('r3', 'a', 100), idempotency },
    ]);
    expect(later.outcomes[0]).toMatchObject({ status: 'FAILED', reason: 'DUPLICATE_REQUEST', duplicateOf: 'r0' });
  });
});
