import { describe, expect, it } from 'vitest';
import { buildBidHistory, recordSeenBid } from './bid-history.ts';
import { englishReceipt, START } from './english-fixtures.test-util.ts';

describe('bid history without the public board', () => {
  it('lists the leading bids seen since the page opened, highest first, once each', () => {
    let seen = recordSeenBid([], { amount: 100, seenAt: null });
    seen = recordSeenBid(seen, { amount: 120, seenAt: START + 5_000 });
    seen = recordSeenBid(seen, { amount: 120, seenAt: START + 6_000 });
    expect(buildBidHistory(seen, [])).toEqual([
      { amount: 120, at: START + 5_000, mine: false },
      { amount: 100, at: null, mine: false },
    ]);
  });

  it("adds the viewer's own leading bids, from before the page opened too, and marks them", () => {
    const seen = [{ amount: 130, seenAt: START + 9_000 }];
    const own = [
      englishReceipt({ amount: 110, status: 'OUTBID', acceptedAt: new Date(START + 2_000).toISOString() }),
      englishReceipt({ amount: 130, status: 'LEADING', acceptedAt: new Date(START + 8_900).toISOString() }),
      // Bids that never led are not part of the auction's history.
      englishReceipt({ amount: 131, status: 'FAILED' }),
      englishReceipt({ amount: 200, status: 'PENDING' }),
    ];
    expect(buildBidHistory(seen, own)).toEqual([
      { amount: 130, at: START + 8_900, mine: true },
      { amount: 110, at: START + 2_000, mine: true },
    ]);
  });
});
