import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chart, markdown, printTargets, targetsOf } from './report.ts';
import type { RunResults } from './results.ts';

/**
 * Real runs (every scenario of issue 5; the synchronous reference alone; issue 12's sniping and
 * uniform) and what the report made of them: a change in any section shows here as a diff.
 */
const fixture = (name: string) => new URL(`./fixtures/report-${name}`, import.meta.url);
const read = (name: string) => readFileSync(fixture(name), 'utf8');

function loadResults(name: string): RunResults {
  const results = JSON.parse(read(`${name}.json`)) as RunResults;
  results.targets = targetsOf(results);
  return results;
}

describe('the bench report', () => {
  for (const name of ['full', 'partial', 'v2']) {
    it(`renders the ${name} run's markdown, targets and chart as before`, () => {
      const results = loadResults(name);
      expect(markdown(results)).toBe(read(`${name}.md`));
      expect(printTargets(results)).toBe(read(`${name}.targets.txt`));
      expect(chart(results)).toBe(name === 'full' ? read('full.svg') : null);
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
