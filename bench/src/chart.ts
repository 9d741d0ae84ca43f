/**
 * Hand-written SVG, so the bench draws its charts without a browser or a charting library:
 * line panels (bids per second over time) and histogram panels (latency, log-scale x).
 */
import type { Bin } from './stats.ts';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type Scale = (value: number) => number;

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 === 0 ? 1 : d1 - d0;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const inner = linearScale([Math.log10(domain[0]), Math.log10(domain[1])], range);
  return (value) => inner(Math.log10(Math.max(value, domain[0])));
}

/** A "nice" step (1, 2 or 5 times a power of ten) giving about `count` ticks over the span. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Tick values on a nice step, from at most `min` to at least `max`. */
export function linearTicks(min: number, max: number, count: number): number[] {
  const step = niceStep(max - min, count);
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let i = 0; ; i++) {
    const value = Number((first + i * step).toPrecision(12));
    ticks.push(value);
    if (value >= max) return ticks;
  }
}

/** 1, 2, 5 per decade between min and max, for a log axis. */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let power = Math.floor(Math.log10(min)); 10 ** power <= max * 10; power++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** power;
      if (v >= min && v <= max) ticks.push(Number(v.toPrecision(6)));
    }
  }
  return ticks;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${fmt(value / 1e6)}M`;
  if (abs >= 1e3) return `${fmt(value / 1e3)}k`;
  if (abs > 0 && abs < 1) return String(Number(value.toPrecision(2)));
  return fmt(value);
}

export interface Series {
  readonly name: string;
  readonly color: string;
  /** [x, y] in data units. */
  readonly points: readonly (readonly [number, number])[];
}

export interface LinePanel {
  readonly kind: 'line';
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Vertical markers, e.g. "settlement released". */
  readonly markers?: readonly { readonly x: number; readonly label: string }[];
}

export interface HistogramPanel {
  readonly kind: 'histogram';
  readonly title: string;
  readonly xLabel: string;
  readonly bins: readonly Bin[];
  readonly color: string;
  /** Vertical markers, e.g. p50 and p99. */
  readonly markers?: readonly { readonly x: number; readonly label: string }[];
}

export type Panel = LinePanel | HistogramPanel;

const MARGIN = { left: 64, right: 16, top: 28, bottom: 40 };

/** The plotting area of a panel: its box minus the margins for title and axes. */
export function plotArea(box: Box): Box {
  return {
    x: box.x + MARGIN.left,
    y: box.y + MARGIN.top,
    width: box.width - MARGIN.left - MARGIN.right,
    height: box.height - MARGIN.top - MARGIN.bottom,
  };
}

/** Polyline points for a series, in pixels. */
export function polylinePoints(points: readonly (readonly [number, number])[], xs: Scale, ys: Scale): string {
  return points.map(([x, y]) => `${xs(x).toFixed(1)},${ys(y).toFixed(1)}`).join(' ');
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One rectangle per bin, standing on the plot's baseline, height proportional to its count. */
export function histogramBars(bins: readonly Bin[], area: Box): { bars: Rect[]; xs: Scale; maxCount: number } {
  const first = bins[0];
  const last = bins[bins.length - 1];
  const lo = first?.from ?? 0.1;
  const hi = last?.to ?? 1;
  const xs = logScale([lo, hi], [area.x, area.x + area.width]);
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const baseline = area.y + area.height;
  const bars = bins.map((bin) => {
    const height = (bin.count / maxCount) * area.height;
    const x0 = xs(bin.from);
    return { x: x0, y: baseline - height, width: Math.max(0.5, xs(bin.to) - x0 - 0.5), height };
  });
  return { bars, xs, maxCount };
}

function axisLines(area: Box): string {
  const bottom = area.y + area.height;
  return `<line x1="${area.x}" y1="${bottom}" x2="${area.x + area.width}" y2="${bottom}" stroke="#444"/>
<line x1="${area.x}" y1="${area.y}" x2="${area.x}" y2="${bottom}" stroke="#444"/>`;
}

function markerLines(markers: LinePanel['markers'], xs: Scale, area: Box): string {
  return (markers ?? [])
    .map((m) => {
      const x = xs(m.x).toFixed(1);
      return `<line x1="${x}" y1="${area.y}" x2="${x}" y2="${area.y + area.height}" stroke="#888" stroke-dasharray="4 3"/>
<text x="${x}" y="${area.y + 10}" font-size="10" fill="#333" text-anchor="start" dx="3" paint-order="stroke" stroke="#fff" stroke-width="3">${escapeXml(m.label)}</text>`;
    })
    .join('\n');
}

/** A legend in the panel's title row, right-aligned, so it never covers data or markers. */
export function legend(series: readonly Series[], box: Box): string {
  const widths = series.map((s) => 18 + s.name.length * 6.2);
  let x = box.x + box.width - MARGIN.right - widths.reduce((a, b) => a + b, 0);
  return series
    .map((s, i) => {
      const item = `<rect x="${x.toFixed(1)}" y="${box.y + 9}" width="10" height="10" fill="${s.color}"/>
<text x="${(x + 14).toFixed(1)}" y="${box.y + 18}" font-size="11">${escapeXml(s.name)}</text>`;
      x += widths[i] as number;
      return item;
    })
    .join('\n');
}

export function renderLinePanel(panel: LinePanel, box: Box): string {
  const area = plotArea(box);
  const all = panel.series.flatMap((s) => s.points);
  const xMax = Math.max(1e-9, ...all.map(([x]) => x), ...(panel.markers ?? []).map((m) => m.x));
  const yMax = Math.max(1, ...all.map(([, y]) => y));
  const xTicks = linearTicks(0, xMax, 8);
  const yTicks = linearTicks(0, yMax, 5);
  const xs = linearScale([0, xTicks[xTicks.length - 1] as number], [area.x, area.x + area.width]);
  const ys = linearScale([0, yTicks[yTicks.length - 1] as number], [area.y + area.height, area.y]);
  const bottom = area.y + area.height;
  const parts = [
    `<text x="${box.x + 8}" y="${box.y + 18}" font-size="13" font-weight="bold">${escapeXml(panel.title)}</text>`,
    ...yTicks.map(
      (
        t,
      ) => `<line x1="${area.x}" y1="${ys(t).toFixed(1)}" x2="${area.x + area.width}" y2="${ys(t).toFixed(1)}" stroke="#eee"/>
<text x="${area.x - 6}" y="${(ys(t) + 3).toFixed(1)}" font-size="10" text-anchor="end">${formatTick(t)}</text>`,
    ),
    ...xTicks.map(
      (t) =>
        `<text x="${xs(t).toFixed(1)}" y="${bottom + 14}" font-size="10" text-anchor="middle">${formatTick(t)}</text>`,
    ),
    axisLines(area),
    `<text x="${area.x + area.width / 2}" y="${bottom + 30}" font-size="11" text-anchor="middle">${escapeXml(panel.xLabel)}</text>`,
    `<text x="${box.x + 14}" y="${area.y + area.height / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 ${box.x + 14} ${area.y + area.height / 2})">${escapeXml(panel.yLabel)}</text>`,
    markerLines(panel.markers, xs, area),
    ...panel.series.map(
      (s) =>
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${polylinePoints(s.points, xs, ys)}"/>`,
    ),
    legend(panel.series, box),
  ];
  return `<g class="panel">\n${parts.join('\n')}\n</g>`;
}

export function renderHistogramPanel(panel: HistogramPanel, box: Box): string {
  const area = plotArea(box);
  const { bars, xs, maxCount } = histogramBars(panel.bins, area);
  const bottom = area.y + area.height;
  const lo = panel.bins[0]?.from ?? 0.1;
  const hi = panel.bins[panel.bins.length - 1]?.to ?? 1;
  const yTicks = linearTicks(0, maxCount, 4);
  const ys = linearScale([0, maxCount], [bottom, area.y]);
  const parts = [
    `<text x="${box.x + 8}" y="${box.y + 18}" font-size="13" font-weight="bold">${escapeXml(panel.title)}</text>`,
    ...yTicks
      .filter((t) => t <= maxCount)
      .map(
        (
          t,
        ) => `<line x1="${area.x}" y1="${ys(t).toFixed(1)}" x2="${area.x + area.width}" y2="${ys(t).toFixed(1)}" stroke="#eee"/>
<text x="${area.x - 6}" y="${(ys(t) + 3).toFixed(1)}" font-size="10" text-anchor="end">${formatTick(t)}</text>`,
      ),
    ...bars.map(
      (b) =>
        `<rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.width.toFixed(1)}" height="${b.height.toFixed(1)}" fill="${panel.color}"/>`,
    ),
    ...logTicks(lo, hi).map(
      (t) =>
        `<text x="${xs(t).toFixed(1)}" y="${bottom + 14}" font-size="10" text-anchor="middle">${formatTick(t)}</text>`,
    ),
    axisLines(area),
    `<text x="${area.x + area.width / 2}" y="${bottom + 30}" font-size="11" text-anchor="middle">${escapeXml(panel.xLabel)}</text>`,
    `<text x="${box.x + 14}" y="${area.y + area.height / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 ${box.x + 14} ${area.y + area.height / 2})">requests</text>`,
    markerLines(panel.markers, xs, area),
  ];
  return `<g class="panel">\n${parts.join('\n')}\n</g>`;
}

/** Panels stacked vertically in one SVG document. */
export function renderChart(title: string, panels: readonly Panel[], width = 960, panelHeight = 260): string {
  const header = 36;
  const height = header + panels.length * panelHeight;
  const body = panels.map((panel, i) => {
    const box = { x: 0, y: header + i * panelHeight, width, height: panelHeight };
    return panel.kind === 'line' ? renderLinePanel(panel, box) : renderHistogramPanel(panel, box);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" role="img">
<title>${escapeXml(title)}</title>
<rect width="${width}" height="${height}" fill="#fff"/>
<text x="8" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>
${body.join('\n')}
</svg>
`;
}
