import { describe, expect, it } from 'vitest';
import { END, englishReceipt, englishView, START } from './english-fixtures.test-util.ts';
import { adoptView, englishPageFromView, reactToEvent, withReceipts } from './english-page-state.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const bid = (highBid: number) =>
  ({ type: 'bid', data: { highBid, bidCount: 1, minNextBid: highBid + 10, endsAt: iso(END) } }) as const;

describe('the English page reacting to its feed', () => {
  it('reads the board again after each lead the feed announces, and after bids a fresh view reveals', () => {
    const state = englishPageFromView(englishView({ highBid: 120, bidCount: 1, minNextBid: 130 }));
    const { state: next, refreshBoard } = reactToEvent(state, bid(140), START + 5_000);
    expect(refreshBoard).toBe(true);
    expect(next.live.highBid).toBe(140);
    expect(adoptView(state, englishView({ highBid: 120, bidCount: 1 })).refreshBoard).toBe(false);
    expect(adoptView(state, englishView({ highBid: 150, bidCount: 3 })).refreshBoard).toBe(true);
  });

  it("reloads the viewer's receipts after a bid only while one of them leads or waits", () => {
    const state = englishPageFromView(englishView());
    expect(reactToEvent(state, bid(100), START).refreshMine).toBe(false);
    const leading = withReceipts(state, [englishReceipt({ status: 'LEADING' })]);
    expect(reactToEvent(leading, bid(110), START).refreshMine).toBe(true);
    const outbid = withReceipts(state, [englishReceipt({ status: 'OUTBID' })]);
    expect(reactToEvent(outbid, bid(120), START).refreshMine).toBe(false);
  });

  it('asks the view whether the reserve is met until it is', () => {
    const state = englishPageFromView(englishView());
    expect(reactToEvent(state, bid(100), START).reloadView).toBe(true);
    const met = englishPageFromView(englishView({ highBid: 100, reserveMet: true }));
    expect(reactToEvent(met, bid(110), START).reloadView).toBe(false);
  });

  it('reloads the receipts and the board once at the close, by event or by a fresh view', () => {
    const state = englishPageFromView(englishView());
    const close = {
      type: 'closed',
      data: { status: 'ended', closedAt: iso(END), winnerId: null, finalPrice: null },
    } as const;
    const closed = reactToEvent(state, close, END);
    expect([closed.refreshMine, closed.refreshBoard]).toEqual([true, true]);
    const again = reactToEvent(closed.state, close, END);
    expect([again.refreshMine, again.refreshBoard]).toEqual([false, false]);
    const byView = adoptView(state, englishView({ closedAt: iso(END), status: 'ended' }));
    expect(byView.refreshMine).toBe(true);
    expect(adoptView(byView.state, englishView({ closedAt: iso(END) })).refreshMine).toBe(false);
  });

  it("keeps only the viewer's English receipts", () => {
    const state = withReceipts(englishPageFromView(englishView()), [
      englishReceipt(),
      {
        id: 'd',
        auctionId: 'e1',
        buyerId: 'me',
        sellerId: 's',
        format: 'dutch',
        quantity: 1,
        unitPrice: 1,
        total: 1,
        finalUnitPrice: 1,
        rebate: 0,
        status: 'PURCHASED',
        acceptedAt: iso(START),
      },
    ]);
    expect(state.mine.map((r) => r.id)).toEqual(['r1']);
  });
});
