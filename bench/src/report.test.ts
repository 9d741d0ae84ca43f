import { describe, expect, it } from 'vitest';
import { chart, markdown, printTargets } from './report.ts';
import { loadResults, readFixture } from './report-fixtures.test-util.ts';

/**
 * Real runs (every scenario of issue 5; the synchronous reference alone; issue 12's sniping and
 * uniform) and what the report made of them: a change in any section shows here as a diff.
 */
describe('the bench report', () => {
  for (const name of ['full', 'partial', 'v2']) {
    it(`renders the ${name} run's markdown, targets and chart as before`, () => {
      const results = loadResults(name);
      expect(markdown(results)).toBe(readFixture(`${name}.md`));
      expect(printTargets(results)).toBe(readFixture(`${name}.targets.txt`));
      expect(chart(results)).toBe(name === 'full' ? readFixture('full.svg') : null);
    });
  }
});

describe("the report's version 2 section", () => {
  it("sets the leading bids settled per second beside the synchronous design's, as a ratio", () => {
    const results = loadResults('v2');
    const md = markdown(results);
    expect(md).toContain('| consumers, live, in the last seconds of the auction | 838 | 87 | 69/s | 14/s | 2.80× |');
    expect(md).toContain('| PURCHASED receipts by unit price | 417 at 100, 615 at 95, 612 at 90, 429 at 85 |');
    const older = loadResults('full');
    expect(markdown(older)).not.toContain('## English sniping and uniform pricing');
  });
});
