import { describe, expect, it } from 'vitest';
import { RICH, snipeBids, sniperFunding } from './english-bids.ts';
import { leadingRate } from './figures.ts';
import type { ReceiptRow } from './verify.ts';

/** A fixed sequence standing in for Math.random. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] as number;
};

describe('snipeBids', () => {
  const schedule = { startPrice: 100, from: 1_000, climbMs: 6_000, quietMs: 4_000, step: 2, noise: 50 };

  it('climbs with every request, spread by the noise either side', () => {
    const bid = snipeBids(schedule, sequence(0.5, 0, 1));
    expect(bid(0, 1_000)).toEqual({ body: '{"amount":100}', quantity: 1, amount: 100 });
    expect(bid(10, 2_000).amount).toBe(120 - 50);
    expect(bid(20, 3_000).amount).toBe(140 + 50);
    const low = snipeBids({ ...schedule, startPrice: 1, noise: 500 }, sequence(0));
    expect(low(0, 1_000).amount).toBe(1);
  });

  it('goes quiet at the opening price after the climb, then bids late far above where it stopped', () => {
    const bid = snipeBids(schedule, sequence(0.999));
    expect(bid(1_000, 7_000).amount).toBe(100 + 49);
    expect(bid(1_200, 10_999).amount).toBe(149);
    // The climb stopped at 100 + 1,000 * 2 (the first request after it): late bids start ten noises above.
    expect(bid(1_500, 11_000).amount).toBe(2_100 + 500 + 3_000);
    expect(bid(1_501, 12_000).amount).toBe(2_100 + 500 + 3_002);
  });
});

describe('sniperFunding', () => {
  it('gives a tenth nothing, a tenth a little, the rest plenty', () => {
    const points = sniperFunding(3, 5_000, sequence(0.05, 0.15, 0.5, 0.9));
    expect(points).toEqual([0, 1 + Math.floor(0.5 * 5_000), RICH]);
  });
});

describe('leadingRate', () => {
  const receipt = (status: string, settledAt: number) => ({ status, settledAt }) as ReceiptRow;

  it('counts receipts and the ones that led per second of their own settled_at span', () => {
    const rate = leadingRate([
      receipt('OUTBID', 0),
      receipt('FAILED', 0),
      receipt('FAILED', 500),
      receipt('OUTBID', 1_000),
      receipt('WON', 2_000),
      receipt('FAILED', 2_000),
    ]);
    // The last batch's receipts are left out: their time is not in the span.
    expect(rate).toEqual({ receipts: 6, leading: 3, receiptsPerSecond: 2, leadingPerSecond: 1 });
  });
});
