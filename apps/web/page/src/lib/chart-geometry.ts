import { isWithinWindow, type Millis, type PriceSchedule, priceAt, priceSteps, stepStartsAt } from '@dutch/domain';

export interface ChartBox {
  readonly width: number;
  readonly height: number;
  /** Room for the price labels on the left and the time labels below. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export interface ChartTick {
  readonly value: number;
  readonly at: number;
}

export interface ChartGeometry {
  /** SVG path data of the steps already taken, up to now. */
  readonly past: string;
  /** SVG path data of the steps still to come, from now. */
  readonly future: string;
  /** Where now meets the price line; null before the start, after the end or without a now. */
  readonly marker: { readonly x: number; readonly y: number } | null;
  readonly priceTicks: readonly ChartTick[];
  readonly plot: { readonly x0: number; readonly x1: number; readonly y0: number; readonly y1: number };
}

interface Segment {
  readonly from: Millis;
  readonly to: Millis;
  readonly price: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The price schedule as a step line in an SVG box: time runs left to right from startsAt to
 * endsAt, price bottom to top. The line is split at now so the page can draw the past and
 * the future differently.
 */
export function computeChartGeometry(schedule: PriceSchedule, now: Millis | null, box: ChartBox): ChartGeometry {
  const steps = priceSteps(schedule);
  const segments: Segment[] = steps.map((price, k) => ({
    from: stepStartsAt(schedule, k),
    to: stepStartsAt(schedule, k + 1),
    price,
  }));

  const top = Math.max(schedule.startPrice, ...steps);
  const bottom = Math.min(...steps);
  // Leave air under the lowest step so it does not sit on the axis; start at 0 when that is close anyway.
  const span = top - bottom;
  const yMin = span === 0 ? 0 : Math.max(0, bottom - span * 0.15);

  const x0 = box.left;
  const x1 = box.width - box.right;
  const y0 = box.top;
  const y1 = box.height - box.bottom;
  const duration = schedule.endsAt - schedule.startsAt;
  const xOf = (at: Millis) => round(x0 + ((at - schedule.startsAt) / duration) * (x1 - x0));
  const yOf = (price: number) => round(y1 - ((price - yMin) / (top - yMin || 1)) * (y1 - y0));

  const cut = now === null ? schedule.startsAt : Math.min(Math.max(now, schedule.startsAt), schedule.endsAt);
  const inWindow = now !== null && isWithinWindow(schedule, now);

  const priceTicks = [...new Set([top, bottom])].map((value) => ({ value, at: yOf(value) }));
  return {
    past: pathOf(clip(segments, schedule.startsAt, cut), xOf, yOf),
    future: pathOf(clip(segments, cut, schedule.endsAt), xOf, yOf),
    marker: inWindow ? { x: xOf(now), y: yOf(priceAt(schedule, now)) } : null,
    priceTicks,
    plot: { x0, x1, y0, y1 },
  };
}

function clip(segments: readonly Segment[], from: Millis, to: Millis): Segment[] {
  const clipped: Segment[] = [];
  for (const s of segments) {
    const a = Math.max(s.from, from);
    const b = Math.min(s.to, to);
    if (b > a) clipped.push({ from: a, to: b, price: s.price });
  }
  return clipped;
}

/** A step line: a horizontal run per segment, joined by vertical drops. */
function pathOf(segments: readonly Segment[], xOf: (at: Millis) => number, yOf: (price: number) => number): string {
  const first = segments[0];
  if (first === undefined) return '';
  let d = `M${xOf(first.from)} ${yOf(first.price)}H${xOf(first.to)}`;
  let previous = first.price;
  for (const s of segments.slice(1)) {
    if (s.price !== previous) d += `V${yOf(s.price)}`;
    d += `H${xOf(s.to)}`;
    previous = s.price;
  }
  return d;
}
