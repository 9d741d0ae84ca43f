import { validateAuction } from '@dutch/domain';
import { describe, expect, it } from 'vitest';
import {
  type AuctionFormValues,
  defaultFormValues,
  draftFromForm,
  fieldOfViolation,
  isScheduleDrawable,
  requestFromDraft,
} from './auction-form.ts';
import { toDateTimeLocal } from './format.ts';

const NOW = new Date(2030, 5, 1, 12, 0, 0, 400).getTime();

function form(overrides: Partial<AuctionFormValues> = {}): AuctionFormValues {
  return { ...defaultFormValues(NOW), title: 'Lamp', ...overrides };
}

function violationsOf(values: AuctionFormValues) {
  const result = validateAuction(draftFromForm(values), NOW);
  return result.ok ? [] : result.error.code === 'INVALID_REQUEST' ? result.error.violations : [];
}

describe('defaultFormValues', () => {
  it('starts a minute from now, on a whole second, and is valid once titled', () => {
    const values = form();
    expect(values.startsAt).toBe(toDateTimeLocal(new Date(2030, 5, 1, 12, 1, 1).getTime()));
    expect(violationsOf(values)).toEqual([]);
  });
});

describe('draftFromForm', () => {
  it('converts every field, a duration into endsAt', () => {
    const draft = draftFromForm(
      form({ startPrice: '100', dropAmount: '10', dropIntervalSeconds: '1', durationSeconds: '8', stock: '5' }),
    );
    expect(draft).toMatchObject({
      title: 'Lamp',
      startPrice: 100,
      floorPrice: null,
      priceDrop: { kind: 'constant', amount: 10 },
      dropIntervalSeconds: 1,
      stock: 5,
      perBuyerLimit: 2,
      showStock: true,
    });
    expect(draft.endsAt - draft.startsAt).toBe(8_000);
  });

  it('takes the end time instead of the duration when asked', () => {
    const start = new Date(2030, 5, 1, 13, 0, 0).getTime();
    const draft = draftFromForm(
      form({ startsAt: toDateTimeLocal(start), endMode: 'endsAt', endsAt: toDateTimeLocal(start + 120_000) }),
    );
    expect(draft.endsAt - draft.startsAt).toBe(120_000);
  });

  it('uses the percentage and the floor when given', () => {
    const draft = draftFromForm(form({ dropKind: 'percentage', dropPercent: '5', floorPrice: '300' }));
    expect(draft.priceDrop).toEqual({ kind: 'percentage', percent: 5 });
    expect(draft.floorPrice).toBe(300);
  });

  it('leaves blanks as NaN so the domain reports them', () => {
    const violations = violationsOf(form({ startPrice: '', stock: ' ', startsAt: '' }));
    expect(violations.map((v) => v.rule)).toEqual(
      expect.arrayContaining(['start_price_range', 'stock_range', 'times_valid']),
    );
  });
});

describe('requestFromDraft', () => {
  it('sends ISO instants and leaves out what was not given', () => {
    const draft = draftFromForm(form({ description: '  ' }));
    const body = requestFromDraft(draft);
    expect(body.startsAt).toBe(new Date(draft.startsAt).toISOString());
    expect(body.endsAt).toBe(new Date(draft.endsAt).toISOString());
    expect('floorPrice' in body).toBe(false);
    expect('description' in body).toBe(false);
    expect(requestFromDraft(draftFromForm(form({ floorPrice: '10' }))).floorPrice).toBe(10);
    expect(body.pricing).toBe('pay_as_bid');
    expect(requestFromDraft(draftFromForm(form({ pricing: 'uniform' }))).pricing).toBe('uniform');
  });
});

describe('fieldOfViolation', () => {
  it('puts drop and end violations under the input in use', () => {
    expect(fieldOfViolation('priceDrop', { dropKind: 'percentage', endMode: 'duration' })).toBe('dropPercent');
    expect(fieldOfViolation('priceDrop.amount', { dropKind: 'constant', endMode: 'duration' })).toBe('dropAmount');
    expect(fieldOfViolation('endsAt', { dropKind: 'constant', endMode: 'duration' })).toBe('durationSeconds');
    expect(fieldOfViolation('endsAt', { dropKind: 'constant', endMode: 'endsAt' })).toBe('endsAt');
    expect(fieldOfViolation('stock', { dropKind: 'constant', endMode: 'endsAt' })).toBe('stock');
  });
});

describe('isScheduleDrawable', () => {
  it('draws despite a missing title or a start in the past, not despite a broken schedule', () => {
    const past = toDateTimeLocal(NOW - 3_600_000);
    expect(isScheduleDrawable(violationsOf(form({ title: '', startsAt: past })))).toBe(true);
    expect(isScheduleDrawable(violationsOf(form({ dropIntervalSeconds: '7' })))).toBe(false);
    expect(isScheduleDrawable(violationsOf(form({ dropAmount: '500' })))).toBe(false);
    expect(isScheduleDrawable(violationsOf(form({ startsAt: 'nope' })))).toBe(false);
  });
});
