import { describe, expect, it } from 'vitest';
import { sec, T0, terms } from './fixtures.test-util.ts';
import { checkChangeable, nextStatusChangeAt, statusAt } from './status.ts';

describe('statusAt', () => {
  const a = terms();

  it('is scheduled until the instant before startsAt', () => {
    expect(statusAt(a, T0 - 1, 10)).toBe('scheduled');
    expect(statusAt(a, T0 - 1, 0)).toBe('scheduled');
  });

  it('is running from exactly startsAt while stock remains', () => {
    expect(statusAt(a, T0, 10)).toBe('running');
    expect(statusAt(a, T0 + sec(600) - 1, 1)).toBe('running');
  });

  it('is sold_out inside the window once stock is 0', () => {
    expect(statusAt(a, T0, 0)).toBe('sold_out');
    expect(statusAt(a, T0 + sec(599), 0)).toBe('sold_out');
  });

  it('is ended from exactly endsAt, whatever the stock', () => {
    expect(statusAt(a, T0 + sec(600), 10)).toBe('ended');
    expect(statusAt(a, T0 + sec(600), 0)).toBe('ended');
  });

  it('names the next instant the clock alone changes the status', () => {
    expect(nextStatusChangeAt(a, T0 - 1)).toBe(T0);
    expect(nextStatusChangeAt(a, T0)).toBe(T0 + sec(600));
    expect(nextStatusChangeAt(a, T0 + sec(600))).toBeNull();
  });
});

describe('checkChangeable', () => {
  const a = terms({});
  it('lets the seller change the auction until the instant it starts', () => {
    expect(checkChangeable(a, T0 - 1)).toEqual({ ok: true, value: true });
    const started = checkChangeable(a, T0);
    expect(started.ok ? null : started.error.code).toBe('AUCTION_ALREADY_STARTED');
    const ended = checkChangeable(a, T0 + sec(3_600));
    expect(ended.ok ? null : ended.error.code).toBe('AUCTION_ALREADY_STARTED');
  });
});
