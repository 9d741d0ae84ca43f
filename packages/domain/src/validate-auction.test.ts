import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuctionDraft } from './auction.ts';
import { draft, sec, T0 } from './fixtures.test-util.ts';
import { priceAt } from './price-schedule.ts';
import { validateAuction } from './validate-auction.ts';

function rulesBroken(d: AuctionDraft, now = T0): string[] {
  const result = validateAuction(d, now);
  if (result.ok) return [];
  expect(result.error.code).toBe('INVALID_REQUEST');
  return result.error.code === 'INVALID_REQUEST' ? result.error.violations.map((v) => v.rule) : [];
}

describe('validateAuction', () => {
  it('accepts a sound definition', () => {
    expect(rulesBroken(draft())).toEqual([]);
  });

  it('defaults pricing to pay_as_bid, keeps uniform, and refuses anything else', () => {
    const { pricing: _, ...withoutPricing } = draft();
    expect(validateAuction(withoutPricing, T0)).toMatchObject({ ok: true, value: { pricing: 'pay_as_bid' } });
    expect(validateAuction(draft({ pricing: 'uniform' }), T0)).toMatchObject({
      ok: true,
      value: { pricing: 'uniform' },
    });
    const unknown = { ...draft(), pricing: 'lowest' } as unknown as AuctionDraft;
    expect(rulesBroken(unknown)).toEqual(['pricing_known']);
  });

  it('allows startsAt a few seconds in the past, not more', () => {
    expect(rulesBroken(draft({ startsAt: T0 - sec(5), endsAt: T0 + sec(595) }))).toEqual([]);
    expect(rulesBroken(draft({ startsAt: T0 - sec(6), endsAt: T0 + sec(594) }))).toEqual(['starts_at_not_past']);
  });

  it('bounds the duration at 3600 whole seconds', () => {
    const startsAt = T0 + sec(60);
    expect(
      rulesBroken(
        draft({
          startsAt,
          endsAt: startsAt + sec(3600),
          dropIntervalSeconds: 60,
          priceDrop: { kind: 'constant', amount: 10 },
        }),
      ),
    ).toEqual([]);
    expect(rulesBroken(draft({ startsAt, endsAt: startsAt + sec(3660) }))).toEqual(['duration_max']);
    expect(rulesBroken(draft({ startsAt, endsAt: startsAt + sec(600) + 500 }))).toEqual(['duration_whole_seconds']);
    expect(rulesBroken(draft({ startsAt, endsAt: startsAt }))).toEqual(['ends_after_start']);
  });

  it('needs the interval to divide the duration', () => {
    expect(rulesBroken(draft({ dropIntervalSeconds: 70 }))).toEqual(['interval_divides_duration']);
    expect(rulesBroken(draft({ dropIntervalSeconds: 0 }))).toEqual(['interval_positive']);
    expect(rulesBroken(draft({ dropIntervalSeconds: 1.5 }))).toEqual(['interval_positive']);
  });

  it('checks start and floor prices', () => {
    expect(rulesBroken(draft({ startPrice: 0 }))).toContain('start_price_range');
    expect(rulesBroken(draft({ floorPrice: 1000 }))).toEqual(['floor_below_start']);
    expect(rulesBroken(draft({ floorPrice: 0 }))).toEqual(['floor_price_positive']);
    expect(rulesBroken(draft({ floorPrice: 999 }))).toEqual([]);
  });

  it('checks the drop amount and percent', () => {
    expect(rulesBroken(draft({ priceDrop: { kind: 'constant', amount: 0 } }))).toEqual(['drop_amount_positive']);
    expect(rulesBroken(draft({ priceDrop: { kind: 'percentage', percent: 0 } }))).toEqual(['drop_percent_range']);
    expect(rulesBroken(draft({ priceDrop: { kind: 'percentage', percent: 51 } }))).toEqual(['drop_percent_range']);
    expect(rulesBroken(draft({ priceDrop: { kind: 'percentage', percent: 50 }, floorPrice: 1 }))).toEqual([]);
  });

  it('refuses a schedule without floor whose last step is below 1', () => {
    // 10 steps of 50 from 1000: last step (k = 9) is 550; 10 steps of 120 would reach -80.
    expect(rulesBroken(draft({ priceDrop: { kind: 'constant', amount: 111 } }))).toEqual([]);
    expect(rulesBroken(draft({ priceDrop: { kind: 'constant', amount: 112 } }))).toEqual(['last_price_positive']);
    expect(rulesBroken(draft({ priceDrop: { kind: 'constant', amount: 112 }, floorPrice: 10 }))).toEqual([]);
    // 1000 at 50% reaches 1 at k = 9 (1000, 500, 250, 125, 62, 31, 15, 7, 3, 1), 0 at k = 10.
    const halving = { priceDrop: { kind: 'percentage', percent: 50 } as const };
    expect(rulesBroken(draft({ ...halving }))).toEqual([]);
    expect(rulesBroken(draft({ ...halving, dropIntervalSeconds: 50, endsAt: T0 + sec(60 + 550) }))).toEqual([
      'last_price_positive',
    ]);
  });

  it('checks stock and the per-buyer limit', () => {
    expect(rulesBroken(draft({ stock: 0, perBuyerLimit: 0 }))).toEqual(['stock_range', 'per_buyer_limit_positive']);
    expect(rulesBroken(draft({ stock: 3, perBuyerLimit: 4 }))).toEqual(['per_buyer_limit_within_stock']);
    expect(rulesBroken(draft({ stock: 3, perBuyerLimit: 3 }))).toEqual([]);
  });

  it('reports every broken rule at once, each naming its field', () => {
    const result = validateAuction(
      draft({ title: ' ', stock: 0, perBuyerLimit: 1, priceDrop: { kind: 'percentage', percent: 99 } }),
      T0,
    );
    expect(result.ok).toBe(false);
    if (result.ok || result.error.code !== 'INVALID_REQUEST') return;
    expect(result.error.violations.map((v) => v.field)).toEqual(['title', 'priceDrop.percent', 'stock']);
    expect(result.error.message).toContain('priceDrop.percent');
  });

  it('every accepted schedule keeps the price at or above max(1, floor) at every instant', () => {
    const arb = fc.record({
      startPrice: fc.integer({ min: 1, max: 100_000 }),
      floorPrice: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
      amount: fc.integer({ min: 1, max: 5_000 }),
      percent: fc.integer({ min: 1, max: 50 }),
      kind: fc.constantFrom('constant' as const, 'percentage' as const),
      interval: fc.integer({ min: 1, max: 600 }),
      steps: fc.integer({ min: 1, max: 60 }),
      probe: fc.double({ min: 0, max: 1.2, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, (r) => {
        const d = draft({
          startPrice: r.startPrice,
          floorPrice: r.floorPrice,
          priceDrop:
            r.kind === 'constant' ? { kind: 'constant', amount: r.amount } : { kind: 'percentage', percent: r.percent },
          dropIntervalSeconds: r.interval,
          startsAt: T0,
          endsAt: T0 + sec(r.interval * r.steps),
        });
        if (!validateAuction(d, T0).ok) return;
        const at = T0 + Math.floor(r.probe * (d.endsAt - T0));
        expect(priceAt(d, at)).toBeGreaterThanOrEqual(Math.max(1, d.floorPrice ?? 1));
      }),
    );
  });
});
