/**
 * How the report writes figures and tables: one place, so every section prints a number alike.
 */

/** A whole number with thousands separators, or '–' when there is none. */
export const n0 = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US');

/** Milliseconds: one decimal below 100 ms, where the decimal still means something. */
export const ms = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`;

/** Microseconds, whole: CPU time per request. */
export const micros = (n: number | null | undefined) => (n === null || n === undefined ? '–' : `${n0(n)} µs`);

export const mb = (bytes: number | null | undefined) =>
  bytes === null || bytes === undefined ? '–' : `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Kilobytes to one decimal: heap allocated per request, a few KB, where a tenth still shows. */
export const kb = (bytes: number | null | undefined) =>
  bytes === null || bytes === undefined ? '–' : `${(bytes / 1024).toFixed(1)} KB`;

export const x = (ratio: number | null) => (ratio === null || !Number.isFinite(ratio) ? '–' : `${ratio.toFixed(2)}×`);

/** A ratio, or null when either side is missing or the divisor is zero (printed as '–'). */
export const div = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? null : a / b;

export const mark = (met: boolean | null) => (met === null ? '' : met ? '✅' : '❌');

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}
