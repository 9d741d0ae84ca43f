import { describe, expect, it } from 'vitest';
import { type AuctionFormValues, defaultFormValues, fieldOfViolation } from './auction-form.ts';
import { checkAuctionForm, isPreviewDrawable } from './check-auction-form.ts';
import { englishDraftFromForm, englishRequestFromDraft } from './english-form.ts';
import { toDateTimeLocal } from './format.ts';

const NOW = new Date(2030, 5, 1, 12, 0, 0, 400).getTime();

function english(overrides: Partial<AuctionFormValues> = {}): AuctionFormValues {
  return { ...defaultFormValues(NOW), format: 'english', title: 'Violin', ...overrides };
}

const rules = (values: AuctionFormValues) => checkAuctionForm(values, NOW).map((v) => v.rule);

describe('the English form', () => {
  it('is valid by default once titled, and converts to the draft the domain checks', () => {
    expect(rules(english())).toEqual([]);
    const draft = englishDraftFromForm(english({ startPrice: '500', minIncrement: '25', extendSeconds: '60' }));
    expect(draft).toMatchObject({ startPrice: 500, minIncrement: 25, reservePrice: null, extendSeconds: 60 });
    expect(draft.endsAt - draft.startsAt).toBe(600_000);
  });

  it('checks the English rules, not the Dutch ones: a week is fine, more is not', () => {
    const week = String(7 * 24 * 3600);
    expect(rules(english({ durationSeconds: week }))).toEqual([]);
    expect(rules(english({ durationSeconds: String(7 * 24 * 3600 + 1) }))).toEqual(['duration_max']);
    expect(rules({ ...english({ durationSeconds: week }), format: 'dutch' })).toContain('duration_max');
    expect(rules(english({ reservePrice: '50', startPrice: '100' }))).toEqual(['reserve_at_least_start']);
    expect(rules(english({ minIncrement: '0', extendSeconds: '601' }))).toEqual([
      'min_increment_range',
      'extend_seconds_range',
    ]);
  });

  it('sends the English body: format, no stock or drop, the reserve only when given', () => {
    const start = new Date(2030, 5, 1, 13, 0, 0).getTime();
    const values = english({ startsAt: toDateTimeLocal(start), description: ' ', reservePrice: '' });
    const body = englishRequestFromDraft(englishDraftFromForm(values));
    expect(body).toEqual({
      format: 'english',
      title: 'Violin',
      startPrice: 1000,
      minIncrement: 10,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + 600_000).toISOString(),
      extendSeconds: 30,
    });
    const reserved = englishRequestFromDraft(englishDraftFromForm(english({ reservePrice: '2000' })));
    expect(reserved.reservePrice).toBe(2000);
  });

  it('puts each violation under its input, and previews the increments unless they are broken', () => {
    expect(fieldOfViolation('minIncrement', english())).toBe('minIncrement');
    expect(fieldOfViolation('reservePrice', english())).toBe('reservePrice');
    expect(fieldOfViolation('extendSeconds', english())).toBe('extendSeconds');
    const values = english({ title: '', reservePrice: '5' });
    expect(isPreviewDrawable(values, checkAuctionForm(values, NOW))).toBe(true);
    const broken = english({ minIncrement: '' });
    expect(isPreviewDrawable(broken, checkAuctionForm(broken, NOW))).toBe(false);
  });
});
