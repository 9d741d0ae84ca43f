import { describe, expect, it } from 'vitest';
import { applyEnglishEvent, englishFromView, type LiveEnglish } from './english-auction.ts';
import { END, englishView, START } from './english-fixtures.test-util.ts';
import {
  describeEnglishCountdown,
  describeEnglishResult,
  describeEnglishStatus,
  describeOutcome,
  describeReserve,
} from './english-words.ts';

const iso = (ms: number) => new Date(ms).toISOString();

function close(state: LiveEnglish, winnerId: string | null, finalPrice: number | null): LiveEnglish {
  return applyEnglishEvent(state, {
    type: 'closed',
    data: { status: 'ended', closedAt: iso(END), winnerId, finalPrice },
  });
}

describe('English auction words', () => {
  it('counts down to the start, then to the current end, and says when the end moved', () => {
    let state = englishFromView(englishView());
    expect(describeEnglishCountdown(state, START - 65_000)).toBe('Starts in 1:05');
    expect(describeEnglishCountdown(state, END - 9_500)).toBe('Ends in 0:10');
    state = applyEnglishEvent(state, { type: 'extended', data: { endsAt: iso(END + 20_000) } });
    expect(describeEnglishCountdown(state, END - 9_500)).toBe('Ends in 0:30 (extended by a late bid)');
  });

  it('is "Closing" between the end and the close, then gives the result', () => {
    const state = englishFromView(englishView({ highBid: 150, bidCount: 2, minNextBid: 160 }));
    expect(describeEnglishStatus(state, START - 1)).toBe('Starts soon');
    expect(describeEnglishStatus(state, START)).toBe('Live');
    expect(describeEnglishStatus(state, END)).toBe('Closing');
    expect(describeEnglishCountdown(state, END)).toBe('Bidding is over: settling the last bids.');
    expect(describeEnglishStatus(close(state, 'w', 150), END)).toBe('Ended');
    expect(describeEnglishResult(close(state, 'w', 150))).toBe('Sold for 150 points.');
    expect(describeEnglishResult(close(state, null, null))).toBe(
      'Not sold: the high bid of 150 points did not meet the reserve.',
    );
    expect(describeEnglishResult(close(englishFromView(englishView()), null, null))).toBe('Ended with no bids.');
  });

  it('shows the reserve amount to the seller only', () => {
    expect(describeReserve(englishFromView(englishView()))).toBe('No bids yet.');
    expect(describeReserve(englishFromView(englishView({ highBid: 100, reserveMet: false })))).toBe(
      'Reserve not met yet.',
    );
    expect(describeReserve(englishFromView(englishView({ highBid: 100, reservePrice: 500 })))).toBe(
      'Reserve not met yet (your reserve: 500 points).',
    );
    expect(describeReserve(englishFromView(englishView({ highBid: 600, reserveMet: true })))).toBe(
      'The high bid meets the reserve: it will win.',
    );
    expect(describeReserve(englishFromView(englishView({ reservePrice: null })))).toBe('No reserve.');
    expect(describeReserve(close(englishFromView(englishView({ highBid: 600, reserveMet: true })), 'w', 600))).toBe('');
  });

  it('puts the viewer first: leading, outbid, won', () => {
    const open = englishFromView(englishView({ highBid: 150 }));
    expect(describeOutcome({ kind: 'leading', amount: 150 }, open)).toBe('You are leading with 150 points.');
    expect(describeOutcome({ kind: 'outbid', amount: 140 }, open)).toBe(
      'You have been outbid: your 140 points is no longer the high bid.',
    );
    const sold = close(open, 'me', 150);
    expect(describeOutcome({ kind: 'won', amount: 150 }, sold)).toBe('You won at 150 points.');
    expect(describeOutcome({ kind: 'seller' }, sold)).toBe('Sold for 150 points: the points are yours.');
    expect(describeOutcome({ kind: 'seller' }, open)).toBe('This is your auction; sellers cannot bid on their own.');
  });
});
