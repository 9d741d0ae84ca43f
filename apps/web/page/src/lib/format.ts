import type { Millis } from '@dutch/domain';

const points = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatPoints(value: number): string {
  return points.format(value);
}

/**
 * Time left as m:ss (or h:mm:ss), rounded up: it reads 0:01 during the last second and the
 * event happens as it would read 0:00.
 */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A duration in words, for form hints: "1 h 2 min 5 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  const parts: string[] = [];
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) parts.push(`${h} h`);
  if (m > 0) parts.push(`${m} min`);
  if (s > 0) parts.push(`${s} s`);
  return parts.join(' ');
}

export function formatClock(at: Millis): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time of day to the millisecond, in local time ("09:05:07.045"): first-come order is decided
 * within a second, so the receipt and the board show the server's stamp as precisely as it has it.
 */
export function formatClockMs(at: Millis): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The value a <input type="datetime-local" step="1"> shows for an instant, in local time. */
export function toDateTimeLocal(at: Millis): string {
  const d = new Date(at);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The instant a datetime-local value names in local time; NaN when empty or malformed. */
export function fromDateTimeLocal(value: string): Millis {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value.trim());
  if (match === null) return Number.NaN;
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(y, mo - 1, d, h, mi, s);
  // new Date rolls 2030-02-31 over into March; a real datetime-local never sends that.
  return date.getMonth() === mo - 1 && date.getDate() === d ? date.getTime() : Number.NaN;
}
