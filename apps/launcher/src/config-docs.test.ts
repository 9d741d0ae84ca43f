import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig as loadConsumerConfig } from '@dutch/consumer';
import { loadConfig as loadGatewayConfig } from '@dutch/gateway';
import { describe, expect, it } from 'vitest';
import { loadConfig as loadLauncherConfig } from './config.ts';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

/** Every variable a loader looks at: it is handed an environment that records each name read. */
function variablesReadBy(load: (env: Record<string, string | undefined>) => unknown): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get(_target, name) {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  load(env);
  return read;
}

/** The backticked names in the first column of README's Configuration table. */
function documentedVariables(): Set<string> {
  const readme = readFileSync(README, 'utf8');
  const section = /^## Configuration\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    const firstCell = /^\|([^|]*)\|/.exec(line)?.[1] ?? '';
    for (const match of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(match[1] as string);
  }
  return names;
}

describe("README's configuration table", () => {
  it('names every variable the gateway, consumer and launcher config loaders read', () => {
    const documented = documentedVariables();
    expect(documented.size).toBeGreaterThan(10);
    const read = new Set([
      ...variablesReadBy(loadGatewayConfig),
      ...variablesReadBy(loadConsumerConfig),
      ...variablesReadBy(loadLauncherConfig),
    ]);
    expect(read.has('DATABASE_URL') && read.has('CONSUMER_NAME') && read.has('PORT')).toBe(true);
    expect([...variablesReadBy(loadLauncherConfig)]).toEqual(expect.arrayContaining(['GATEWAY_WORKERS', 'HEAP_MB']));
    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });
});
