import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  formatTick,
  histogramBars,
  linearScale,
  linearTicks,
  logScale,
  logTicks,
  niceStep,
  plotArea,
  polylinePoints,
  renderChart,
} from './chart.ts';

describe('scales', () => {
  it('maps the domain onto the range linearly, inverted ranges included (SVG y grows downwards)', () => {
    const xs = linearScale([0, 10], [100, 300]);
    expect([xs(0), xs(5), xs(10)]).toEqual([100, 200, 300]);
    const ys = linearScale([0, 50], [200, 0]);
    expect([ys(0), ys(25), ys(50)]).toEqual([200, 100, 0]);
  });

  it('maps decades to equal distances on a log scale, clamping below the domain', () => {
    const xs = logScale([0.1, 100], [0, 300]);
    expect(xs(0.1)).toBeCloseTo(0);
    expect(xs(1)).toBeCloseTo(100);
    expect(xs(10)).toBeCloseTo(200);
    expect(xs(100)).toBeCloseTo(300);
    expect(xs(0)).toBeCloseTo(0);
  });

  it('picks nice steps and ticks that cover the data', () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(7, 7)).toBe(1);
    expect(niceStep(41_000, 5)).toBe(10_000);
    expect(linearTicks(0, 41_000, 5)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(linearTicks(0, 1.3, 5)).toEqual([0, 0.5, 1, 1.5]);
    expect(logTicks(0.1, 30)).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10, 20]);
  });

  it('formats ticks compactly', () => {
    expect(formatTick(40_000)).toBe('40k');
    expect(formatTick(2_500_000)).toBe('2.5M');
    expect(formatTick(0.2)).toBe('0.2');
    expect(formatTick(15)).toBe('15');
  });
});

describe('geometry', () => {
  const box = { x: 0, y: 100, width: 960, height: 260 };
  const area = plotArea(box);

  it('keeps the plot inside its panel', () => {
    expect(area.x).toBeGreaterThan(box.x);
    expect(area.y).toBeGreaterThan(box.y);
    expect(area.x + area.width).toBeLessThanOrEqual(box.x + box.width);
    expect(area.y + area.height).toBeLessThanOrEqual(box.y + box.height);
  });

  it('places polyline points through the scales', () => {
    const xs = linearScale([0, 2], [area.x, area.x + area.width]);
    const ys = linearScale([0, 100], [area.y + area.height, area.y]);
    const points = polylinePoints(
      [
        [0, 0],
        [1, 50],
        [2, 100],
      ],
      xs,
      ys,
    )
      .split(' ')
      .map((p) => p.split(',').map(Number));
    expect(points[0]).toEqual([area.x, area.y + area.height]);
    expect(points[1]?.[0]).toBeCloseTo(area.x + area.width / 2, 1);
    expect(points[1]?.[1]).toBeCloseTo(area.y + area.height / 2, 1);
    expect(points[2]).toEqual([area.x + area.width, area.y]);
  });

  it('stands histogram bars on the baseline, as tall as their share of the largest bin, left to right', () => {
    const bins = [
      { from: 0.1, to: 1, count: 10 },
      { from: 1, to: 10, count: 40 },
      { from: 10, to: 100, count: 0 },
    ];
    const { bars, maxCount } = histogramBars(bins, area);
    const baseline = area.y + area.height;
    expect(maxCount).toBe(40);
    for (const bar of bars) expect(bar.y + bar.height).toBeCloseTo(baseline);
    expect(bars[1]?.height).toBeCloseTo(area.height);
    expect(bars[0]?.height).toBeCloseTo(area.height / 4);
    expect(bars[2]?.height).toBe(0);
    expect(bars[0]?.x).toBeCloseTo(area.x);
    expect((bars[1]?.x ?? 0) > (bars[0]?.x ?? 0)).toBe(true);
    const last = bars[2];
    expect((last?.x ?? 0) + (last?.width ?? 0)).toBeLessThanOrEqual(area.x + area.width);
  });
});

describe('renderChart', () => {
  it('writes one well-formed SVG with a panel per chart and escaped text', () => {
    const svg = renderChart('a <b> & "c"', [
      {
        kind: 'line',
        title: 'bids',
        xLabel: 's',
        yLabel: '/s',
        series: [
          {
            name: 'accepted',
            color: '#00f',
            points: [
              [0, 1],
              [1, 3],
            ],
          },
        ],
        markers: [{ x: 0.5, label: 'resumed' }],
      },
      {
        kind: 'histogram',
        title: 'latency',
        xLabel: 'ms',
        color: '#0f0',
        bins: [
          { from: 0.1, to: 1, count: 3 },
          { from: 1, to: 10, count: 1 },
        ],
      },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('viewBox="0 0 960 556"');
    expect(svg.match(/<g class="panel">/g)).toHaveLength(2);
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(escapeXml('<&>')).toBe('&lt;&amp;&gt;');
  });
});
