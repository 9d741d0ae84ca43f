import { describe, expect, it } from 'vitest';
import {
  applyEnglishEvent,
  englishFromView,
  englishNextChangeAt,
  englishServerTimeBound,
  englishStatusOf,
} from './english-auction.ts';
import { END, englishView, START } from './english-fixtures.test-util.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('live English auction state', () => {
  it('is scheduled, running and ended by the clock and the current end', () => {
    const state = englishFromView(englishView());
    expect(englishStatusOf(state, START - 1)).toBe('scheduled');
    expect(englishStatusOf(state, START)).toBe('running');
    expect(englishStatusOf(state, END)).toBe('ended');
    expect(englishNextChangeAt(state, START - 1)).toBe(START);
    expect(englishNextChangeAt(state, START + 5)).toBe(END);
    expect(englishNextChangeAt(state, END)).toBeNull();
  });

  it('takes the high bid, the count and the minimum next bid from bid events', () => {
    const state = applyEnglishEvent(englishFromView(englishView()), {
      type: 'bid',
      data: { highBid: 150, bidCount: 1, minNextBid: 160, endsAt: iso(END) },
    });
    expect(state).toMatchObject({ highBid: 150, bidCount: 1, minNextBid: 160, endsAt: END, extensions: 0 });
  });

  it('moves the countdown when the end is extended, and counts the extensions', () => {
    let state = englishFromView(englishView());
    state = applyEnglishEvent(state, { type: 'extended', data: { endsAt: iso(END + 20_000) } });
    expect(state.endsAt).toBe(END + 20_000);
    expect(state.extensions).toBe(1);
    expect(englishStatusOf(state, END + 1)).toBe('running');
    expect(englishNextChangeAt(state, END + 1)).toBe(END + 20_000);
  });

  it('never lowers the high bid or moves the end earlier, whatever order events arrive in', () => {
    let state = englishFromView(englishView());
    state = applyEnglishEvent(state, {
      type: 'bid',
      data: { highBid: 200, bidCount: 3, minNextBid: 210, endsAt: iso(END + 9_000) },
    });
    state = applyEnglishEvent(state, {
      type: 'bid',
      data: { highBid: 150, bidCount: 2, minNextBid: 160, endsAt: iso(END + 5_000) },
    });
    expect(state).toMatchObject({ highBid: 200, bidCount: 3, minNextBid: 210, endsAt: END + 9_000 });
    // A stale snapshot (read before those bids) keeps the newer lead, and the count of extensions.
    state = applyEnglishEvent(state, { type: 'snapshot', data: englishView({ title: 'Renamed' }) });
    expect(state).toMatchObject({ highBid: 200, minNextBid: 210, endsAt: END + 9_000, extensions: 1 });
    expect(state.view.title).toBe('Renamed');
  });

  it('ends at the close whatever the clock says, with the winner and the price', () => {
    const state = applyEnglishEvent(englishFromView(englishView()), {
      type: 'closed',
      data: { status: 'ended', closedAt: iso(END + 2_000), winnerId: 'w', finalPrice: 300 },
    });
    expect(englishStatusOf(state, START + 1)).toBe('ended');
    expect(state.close).toEqual({ closedAt: END + 2_000, winnerId: 'w', finalPrice: 300 });
    // A sale proves the reserve was met.
    expect(state.reserveMet).toBe(true);
    expect(state.highBid).toBe(300);
  });

  it('lets the seller, who sees the reserve, know when a raise meets it', () => {
    const bid = (highBid: number) =>
      ({ type: 'bid', data: { highBid, bidCount: 1, minNextBid: highBid + 10, endsAt: iso(END) } }) as const;
    const seller = englishFromView(englishView({ reservePrice: 500 }));
    expect(applyEnglishEvent(seller, bid(400)).reserveMet).toBe(false);
    expect(applyEnglishEvent(seller, bid(500)).reserveMet).toBe(true);
    // A bidder cannot tell from the event alone: the snapshot's word stands until the next one.
    expect(applyEnglishEvent(englishFromView(englishView()), bid(500)).reserveMet).toBe(false);
  });

  it('learns only from running that the server has reached the start', () => {
    const state = englishFromView(englishView());
    expect(englishServerTimeBound(state, { type: 'status', data: { status: 'running' } })).toBe(START);
    // An ended can be followed by an extension; a close carries another process's clock.
    expect(englishServerTimeBound(state, { type: 'status', data: { status: 'ended' } })).toBeNull();
    const closed = { status: 'ended', closedAt: iso(END + 1) } as const;
    expect(englishServerTimeBound(state, { type: 'closed', data: closed })).toBeNull();
  });
});
