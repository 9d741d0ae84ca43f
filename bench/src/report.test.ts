import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chart, markdown, printTargets, targetsOf } from './report.ts';
import type { RunResults } from './results.ts';

/**
 * Two real runs (every scenario; the synchronous reference alone) and what the report made of
 * them, captured before the report was split: a change in any section shows here as a diff.
 */
const fixture = (name: string) => new URL(`./fixtures/report-${name}`, import.meta.url);
const read = (name: string) => readFileSync(fixture(name), 'utf8');

function loadResults(name: string): RunResults {
  const results = JSON.parse(read(`${name}.json`)) as RunResults;
  results.targets = targetsOf(results);
  return results;
}

describe('the bench report', () => {
  for (const name of ['full', 'partial']) {
    it(`renders the ${name} run's markdown, targets and chart as before`, () => {
      const results = loadResults(name);
      expect(markdown(results)).toBe(read(`${name}.md`));
      expect(printTargets(results)).toBe(read(`${name}.targets.txt`));
      expect(chart(results)).toBe(name === 'full' ? read('full.svg') : null);
    });
  }
});
