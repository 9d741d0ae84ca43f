import { ConfigError } from '@dutch/config';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const host = { hostname: 'box', pid: 42 };

describe('loadConfig (consumer)', () => {
  it('names the consumer <host>-<pid> unless told, so a restarted process is a new group member', () => {
    expect(loadConfig({}, host).consumerName).toBe('box-42');
    expect(loadConfig({ CONSUMER_NAME: 'settler-a' }, host).consumerName).toBe('settler-a');
  });

  it('has defaults for the batch, the block, recovery and dead-lettering', () => {
    expect(loadConfig({}, host)).toMatchObject({
      batchSize: 1000,
      blockMs: 1000,
      claimIdleMs: 30_000,
      maxDeliveries: 10,
      shards: 8,
      keyPrefix: 'dutch:',
    });
  });

  it('refuses bad values, naming each', () => {
    const load = () => loadConfig({ BATCH_SIZE: '0', MAX_DELIVERIES: 'x', CONSUMER_NAME: 'a b' }, host);
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const names = (error as ConfigError).problems.map((problem) => problem.split('=')[0]);
      expect(names.sort()).toEqual(['BATCH_SIZE', 'CONSUMER_NAME', 'MAX_DELIVERIES']);
    }
  });
});
