import type { Millis, PriceSchedule } from '@dutch/domain';
import { type ChartBox, computeChartGeometry } from '../lib/chart-geometry.ts';
import { formatClock, formatPoints } from '../lib/format.ts';
import { summarizeSchedule } from '../lib/schedule-summary.ts';
import { s, setText } from './dom.ts';

export interface PriceChart {
  readonly element: SVGSVGElement;
  /** Redraws for a schedule and a moment; `now` null draws the whole schedule as still to come. */
  update(schedule: PriceSchedule, now: Millis | null): void;
}

/**
 * The chart is drawn in the element's own pixels (its viewBox follows its width), so labels stay
 * readable on a phone instead of shrinking with a fixed drawing scaled down.
 */
function boxFor(width: number): ChartBox {
  const height = Math.round(Math.min(260, Math.max(170, width * 0.4)));
  return { width, height, left: 56, right: 12, top: 16, bottom: 30 };
}

type ChartParts = ReturnType<typeof createChartElements>;

function createChartElements(testId: string) {
  const past = s('path', { class: 'chart-past' });
  const future = s('path', { class: 'chart-future' });
  const markerLine = s('line', { class: 'chart-now' });
  const markerDot = s('circle', { class: 'chart-dot', r: 6 });
  const marker = s('g', { 'data-testid': `${testId}-now` }, markerLine, markerDot);
  const priceLabels = s('g', { class: 'chart-labels' });
  const startLabel = s('text', { 'text-anchor': 'start' });
  const endLabel = s('text', { 'text-anchor': 'end' });
  const axis = s('path', { class: 'chart-axis' });
  const element = s(
    'svg',
    {
      class: 'price-chart',
      role: 'img',
      'data-testid': testId,
      preserveAspectRatio: 'xMidYMid meet',
    },
    axis,
    priceLabels,
    startLabel,
    endLabel,
    past,
    future,
    marker,
  );
  return { element, past, future, markerLine, markerDot, marker, priceLabels, startLabel, endLabel, axis };
}

/** Fits the drawing's frame (view box, axis, time labels) to the box. */
function layoutChart(parts: ChartParts, box: ChartBox): void {
  const { element, axis, startLabel, endLabel } = parts;
  element.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
  axis.setAttribute('d', `M${box.left} ${box.top}V${box.height - box.bottom}H${box.width - box.right}`);
  for (const [label, x] of [
    [startLabel, box.left],
    [endLabel, box.width - box.right],
  ] as const) {
    label.setAttribute('x', String(x));
    label.setAttribute('y', String(box.height - 8));
  }
}

type ChartGeometry = ReturnType<typeof computeChartGeometry>;

function drawMarker({ marker, markerLine, markerDot }: ChartParts, g: ChartGeometry): void {
  if (g.marker === null) marker.setAttribute('display', 'none');
  else {
    marker.removeAttribute('display');
    markerLine.setAttribute('x1', String(g.marker.x));
    markerLine.setAttribute('x2', String(g.marker.x));
    markerLine.setAttribute('y1', String(g.plot.y0));
    markerLine.setAttribute('y2', String(g.plot.y1));
    markerDot.setAttribute('cx', String(g.marker.x));
    markerDot.setAttribute('cy', String(g.marker.y));
  }
}

function drawLabels(parts: ChartParts, schedule: PriceSchedule, g: ChartGeometry, box: ChartBox): void {
  parts.priceLabels.replaceChildren(
    ...g.priceTicks.map((tick) =>
      s('text', { x: box.left - 8, y: tick.at + 5, 'text-anchor': 'end' }, formatPoints(tick.value)),
    ),
  );
  setText(parts.startLabel, formatClock(schedule.startsAt));
  setText(parts.endLabel, formatClock(schedule.endsAt));
  parts.element.setAttribute('aria-label', `Price schedule. ${summarizeSchedule(schedule)}`);
}

/** The price schedule as an SVG step line: past steps grey, steps to come in colour, a dot at now. */
export function createPriceChart(testId: string, signal: AbortSignal): PriceChart {
  let box = boxFor(640);
  const parts = createChartElements(testId);
  const { element, past, future } = parts;

  let labelledFor: PriceSchedule | null = null;
  let last: { schedule: PriceSchedule; now: Millis | null } | null = null;

  const layout = () => {
    layoutChart(parts, box);
    labelledFor = null;
  };
  layout();

  const resize = new ResizeObserver((entries) => {
    const width = Math.round(entries[0]?.contentRect.width ?? 0);
    if (width < 200 || width === box.width) return;
    box = boxFor(width);
    layout();
    if (last !== null) chart.update(last.schedule, last.now);
  });
  resize.observe(element);
  signal.addEventListener('abort', () => resize.disconnect(), { once: true });

  const chart: PriceChart = {
    element,
    update(schedule, now) {
      last = { schedule, now };
      const g = computeChartGeometry(schedule, now, box);
      past.setAttribute('d', g.past);
      future.setAttribute('d', g.future);
      drawMarker(parts, g);
      if (labelledFor === schedule) return;
      // Labels and the text alternative only change with the schedule, not every second.
      labelledFor = schedule;
      drawLabels(parts, schedule, g, box);
    },
  };
  return chart;
}
