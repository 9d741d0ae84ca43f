import { describe, expect, it } from 'vitest';
import {
  formatClockMs,
  formatCountdown,
  formatDuration,
  formatPoints,
  fromDateTimeLocal,
  toDateTimeLocal,
} from './format.ts';

describe('formatCountdown', () => {
  it.each([
    [0, '0:00'],
    [-5, '0:00'],
    [1, '0:01'],
    [1_000, '0:01'],
    [1_001, '0:02'],
    [59_000, '0:59'],
    [60_000, '1:00'],
    [3_599_000, '59:59'],
    [3_600_000, '1:00:00'],
    [3_725_000, '1:02:05'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});

describe('formatDuration', () => {
  it('names each unit once', () => {
    expect(formatDuration(3725)).toBe('1 h 2 min 5 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(8)).toBe('8 s');
    expect(formatDuration(0)).toBe('');
    expect(formatDuration(Number.NaN)).toBe('');
  });
});

describe('formatPoints', () => {
  it('groups thousands', () => {
    expect(formatPoints(1234567)).toBe('1,234,567');
  });
});

describe('datetime-local values', () => {
  it('round-trips an instant to whole seconds in local time', () => {
    const at = new Date(2030, 0, 2, 3, 4, 5).getTime();
    expect(toDateTimeLocal(at)).toBe('2030-01-02T03:04:05');
    expect(fromDateTimeLocal('2030-01-02T03:04:05')).toBe(at);
  });

  it('accepts minute precision, as browsers send without step', () => {
    expect(fromDateTimeLocal('2030-01-02T03:04')).toBe(new Date(2030, 0, 2, 3, 4, 0).getTime());
  });

  it('gives NaN for empty or impossible values', () => {
    expect(fromDateTimeLocal('')).toBeNaN();
    expect(fromDateTimeLocal('tomorrow')).toBeNaN();
    expect(fromDateTimeLocal('2030-02-31T10:00')).toBeNaN();
  });
});

describe('formatClockMs', () => {
  it('reads a local time to the millisecond, zero-padded', () => {
    expect(formatClockMs(new Date(2030, 0, 1, 9, 5, 7, 45).getTime())).toBe('09:05:07.045');
    expect(formatClockMs(new Date(2030, 0, 1, 23, 59, 59, 999).getTime())).toBe('23:59:59.999');
  });
});
