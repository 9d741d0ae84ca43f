import { availableParallelism } from 'node:os';
import { ConfigError } from '@dutch/config';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

function problemNames(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => problem.split('=')[0] as string).sort();
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig (launcher)', () => {
  it("defaults to a gateway per core, two consumers and 128 MB of heap, on the gateway's own defaults", () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      workers: availableParallelism(),
      consumers: 2,
      heapMb: 128,
      redisDurability: 'none',
    });
  });

  it('reads explicit values', () => {
    const config = loadConfig({ PORT: '8080', GATEWAY_WORKERS: '3', CONSUMERS: '0', HEAP_MB: '256' });
    expect(config).toMatchObject({ port: 8080, workers: 3, consumers: 0, heapMb: 256 });
  });

  it("refuses bad values, the gateway's and its own alike, naming each, rather than starting on a default", () => {
    const load = () => loadConfig({ PORT: '70000', CONSUMERS: '-1', IDEMPOTENCY_TTL_SECONDS: '5', HEAP_MB: 'lots' });
    expect(load).toThrow(ConfigError);
    expect(problemNames(load)).toEqual(['CONSUMERS', 'HEAP_MB', 'IDEMPOTENCY_TTL_SECONDS', 'PORT']);
  });

  it('refuses its own settings when the gateway has nothing to say', () => {
    expect(problemNames(() => loadConfig({ GATEWAY_WORKERS: '300', HEAP_MB: '16' }))).toEqual([
      'GATEWAY_WORKERS',
      'HEAP_MB',
    ]);
  });
});
