import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { englishDraft, sec, T0 } from './fixtures.test-util.ts';
import { MAX_ENGLISH_DURATION_SECONDS } from './limits.ts';
import { type EnglishDraftInput, validateEnglishAuction } from './validate-english-auction.ts';

function rulesBroken(d: EnglishDraftInput, now = T0): string[] {
  const result = validateEnglishAuction(d, now);
  if (result.ok) return [];
  expect(result.error.code).toBe('INVALID_REQUEST');
  return result.error.code === 'INVALID_REQUEST' ? result.error.violations.map((v) => v.rule) : [];
}

describe('validateEnglishAuction', () => {
  it('accepts a sound definition and defaults extendSeconds to 0', () => {
    const { extendSeconds: _, ...withoutExtend } = englishDraft();
    const result = validateEnglishAuction(withoutExtend, T0);
    expect(result).toEqual({ ok: true, value: { ...englishDraft(), extendSeconds: 0 } });
  });

  it('wants startPrice >= 1 and minIncrement >= 1, whole', () => {
    expect(rulesBroken(englishDraft({ startPrice: 0 }))).toEqual(['start_price_range']);
    expect(rulesBroken(englishDraft({ startPrice: 1.5 }))).toEqual(['start_price_range']);
    expect(rulesBroken(englishDraft({ startPrice: 1 }))).toEqual([]);
    expect(rulesBroken(englishDraft({ minIncrement: 0 }))).toEqual(['min_increment_range']);
    expect(rulesBroken(englishDraft({ minIncrement: 1 }))).toEqual([]);
  });

  it('wants reservePrice >= startPrice when given', () => {
    expect(rulesBroken(englishDraft({ startPrice: 100, reservePrice: 99 }))).toEqual(['reserve_at_least_start']);
    expect(rulesBroken(englishDraft({ startPrice: 100, reservePrice: 100 }))).toEqual([]);
    expect(rulesBroken(englishDraft({ reservePrice: 0 }))).toEqual(['reserve_price_range']);
    expect(rulesBroken(englishDraft({ reservePrice: null }))).toEqual([]);
  });

  it('wants a duration of whole seconds, at most 7 days', () => {
    const startsAt = T0 + sec(60);
    const max = MAX_ENGLISH_DURATION_SECONDS;
    expect(max).toBe(7 * 24 * 3600);
    expect(rulesBroken(englishDraft({ startsAt, endsAt: startsAt + sec(max) }))).toEqual([]);
    expect(rulesBroken(englishDraft({ startsAt, endsAt: startsAt + sec(max + 1) }))).toEqual(['duration_max']);
    expect(rulesBroken(englishDraft({ startsAt, endsAt: startsAt + sec(60) + 1 }))).toEqual(['duration_whole_seconds']);
    expect(rulesBroken(englishDraft({ startsAt, endsAt: startsAt }))).toEqual(['ends_after_start']);
    expect(rulesBroken(englishDraft({ startsAt: Number.NaN }))).toEqual(['times_valid']);
  });

  it('allows startsAt a few seconds in the past, not more', () => {
    expect(rulesBroken(englishDraft({ startsAt: T0 - sec(5), endsAt: T0 + sec(60) }))).toEqual([]);
    expect(rulesBroken(englishDraft({ startsAt: T0 - sec(6), endsAt: T0 + sec(60) }))).toEqual(['starts_at_not_past']);
  });

  it('wants extendSeconds from 0 to 600, whole', () => {
    expect(rulesBroken(englishDraft({ extendSeconds: 600 }))).toEqual([]);
    expect(rulesBroken(englishDraft({ extendSeconds: 601 }))).toEqual(['extend_seconds_range']);
    expect(rulesBroken(englishDraft({ extendSeconds: -1 }))).toEqual(['extend_seconds_range']);
    expect(rulesBroken(englishDraft({ extendSeconds: 1.5 }))).toEqual(['extend_seconds_range']);
  });

  it('reports every broken rule at once, each with its field', () => {
    const result = validateEnglishAuction(
      englishDraft({ title: ' ', startPrice: 0, minIncrement: 0, extendSeconds: 601, startsAt: T0 - sec(60) }),
      T0,
    );
    expect(result.ok ? [] : result.error.code === 'INVALID_REQUEST' ? result.error.violations : []).toEqual([
      expect.objectContaining({ field: 'title', rule: 'title_required' }),
      expect.objectContaining({ field: 'startPrice', rule: 'start_price_range' }),
      expect.objectContaining({ field: 'minIncrement', rule: 'min_increment_range' }),
      expect.objectContaining({ field: 'startsAt', rule: 'starts_at_not_past' }),
      expect.objectContaining({ field: 'extendSeconds', rule: 'extend_seconds_range' }),
    ]);
  });

  it('accepts exactly the drafts within every bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10, max: 2_000 }),
        fc.integer({ min: -10, max: 200 }),
        fc.option(fc.integer({ min: -10, max: 2_000 }), { nil: null }),
        fc.integer({ min: -5, max: 700 }),
        (startPrice, minIncrement, reservePrice, extendSeconds) => {
          const sound =
            startPrice >= 1 &&
            minIncrement >= 1 &&
            (reservePrice === null || reservePrice >= Math.max(1, startPrice)) &&
            extendSeconds >= 0 &&
            extendSeconds <= 600;
          const d = englishDraft({ startPrice, minIncrement, reservePrice, extendSeconds });
          expect(validateEnglishAuction(d, T0).ok).toBe(sound);
        },
      ),
    );
  });
});
