import { describe, expect, it } from 'vitest';
import { applyEnglishEvent, englishFromView, type LiveEnglish } from './english-auction.ts';
import { END, englishReceipt, englishView } from './english-fixtures.test-util.ts';
import { viewerOutcome } from './viewer-outcome.ts';

const iso = (ms: number) => new Date(ms).toISOString();

function withHighBid(highBid: number): LiveEnglish {
  return applyEnglishEvent(englishFromView(englishView()), {
    type: 'bid',
    data: { highBid, bidCount: 1, minNextBid: highBid + 10, endsAt: iso(END) },
  });
}

function closed(state: LiveEnglish, winnerId: string | null, finalPrice: number | null): LiveEnglish {
  return applyEnglishEvent(state, {
    type: 'closed',
    data: { status: 'ended', closedAt: iso(END), winnerId, finalPrice },
  });
}

describe('viewerOutcome', () => {
  it('knows the signed-out visitor and the seller', () => {
    const state = withHighBid(100);
    expect(viewerOutcome(state, null, [])).toEqual({ kind: 'signed_out' });
    expect(viewerOutcome(state, 'seller', [])).toEqual({ kind: 'seller' });
    expect(viewerOutcome(state, 'me', [])).toEqual({ kind: 'no_bid' });
  });

  it('is leading with a LEADING receipt at the high bid, outbid once the high bid passes it', () => {
    const mine = [englishReceipt({ amount: 100, status: 'LEADING' })];
    expect(viewerOutcome(withHighBid(100), 'me', mine)).toEqual({ kind: 'leading', amount: 100 });
    // The feed announced a higher bid before the receipt was reloaded: outbid already.
    expect(viewerOutcome(withHighBid(110), 'me', mine)).toEqual({ kind: 'outbid', amount: 100 });
    expect(viewerOutcome(withHighBid(110), 'me', [englishReceipt({ status: 'OUTBID' })])).toEqual({
      kind: 'outbid',
      amount: 100,
    });
  });

  it('trusts a fresher receipt over a lagging feed', () => {
    const mine = [englishReceipt({ amount: 130, status: 'LEADING' })];
    expect(viewerOutcome(withHighBid(110), 'me', mine)).toEqual({ kind: 'leading', amount: 130 });
  });

  it('shows a bid still being settled when it could lead, not when an old lead of mine still stands', () => {
    const outbidThenRaised = [
      englishReceipt({ id: 'a', amount: 100, status: 'OUTBID' }),
      englishReceipt({ id: 'b', amount: 150, status: 'PENDING' }),
    ];
    expect(viewerOutcome(withHighBid(110), 'me', outbidThenRaised)).toEqual({ kind: 'pending', amount: 150 });
    const leadingAndRaising = [
      englishReceipt({ id: 'a', amount: 110, status: 'LEADING' }),
      englishReceipt({ id: 'b', amount: 150, status: 'PENDING' }),
    ];
    expect(viewerOutcome(withHighBid(110), 'me', leadingAndRaising)).toEqual({ kind: 'leading', amount: 110 });
    // Failed bids alone are no position at all.
    expect(viewerOutcome(withHighBid(110), 'me', [englishReceipt({ status: 'FAILED' })])).toEqual({ kind: 'no_bid' });
  });

  it('after the close: won, outbid, or below the reserve', () => {
    const soldToMe = closed(withHighBid(200), 'me', 200);
    expect(viewerOutcome(soldToMe, 'me', [englishReceipt({ amount: 200, status: 'LEADING' })])).toEqual({
      kind: 'won',
      amount: 200,
    });
    expect(viewerOutcome(soldToMe, 'me', [englishReceipt({ amount: 200, status: 'WON' })])).toEqual({
      kind: 'won',
      amount: 200,
    });
    const soldToOther = closed(withHighBid(200), 'other', 200);
    expect(viewerOutcome(soldToOther, 'me', [englishReceipt({ amount: 150, status: 'OUTBID' })])).toEqual({
      kind: 'outbid',
      amount: 150,
    });
    const unsold = closed(withHighBid(200), null, null);
    expect(viewerOutcome(unsold, 'me', [englishReceipt({ amount: 200, status: 'RESERVE_NOT_MET' })])).toEqual({
      kind: 'reserve_not_met',
      amount: 200,
    });
    // The close event came before the receipt was reloaded.
    expect(viewerOutcome(unsold, 'me', [englishReceipt({ amount: 200, status: 'LEADING' })])).toEqual({
      kind: 'reserve_not_met',
      amount: 200,
    });
  });

  it('still says won after the winner asked for a refund', () => {
    const state = closed(withHighBid(200), 'me', 200);
    expect(viewerOutcome(state, 'me', [englishReceipt({ amount: 200, status: 'REFUNDED' })])).toEqual({
      kind: 'won',
      amount: 200,
    });
  });
});
