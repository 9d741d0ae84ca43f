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
      rebalanceMs: 1000,
      shardTakeoverMs: 10_000,
      shards: 8,
      keyPrefix: 'dutch:',
      closeGraceMs: 2_000,
    });
  });

  it('takes CLOSE_GRACE_MS from 0 to 10 minutes, and refuses anything else naming it', () => {
    expect(loadConfig({ CLOSE_GRACE_MS: '0' }, host).closeGraceMs).toBe(0);
    expect(loadConfig({ CLOSE_GRACE_MS: '600000' }, host).closeGraceMs).toBe(600_000);
    for (const bad of ['-1', '600001', '1.5', 'soon']) {
      try {
        loadConfig({ CLOSE_GRACE_MS: bad }, host);
        expect.unreachable(`CLOSE_GRACE_MS=${bad} was accepted`);
      } catch (error) {
        expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^CLOSE_GRACE_MS=/)]);
      }
    }
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

  it('refuses a takeover bound too close to the rebalance tick, naming SHARD_TAKEOVER_MS', () => {
    expect(loadConfig({ REBALANCE_MS: '250', SHARD_TAKEOVER_MS: '1250' }, host).shardTakeoverMs).toBe(1250);
    try {
      loadConfig({ REBALANCE_MS: '1000', SHARD_TAKEOVER_MS: '2000' }, host);
      expect.unreachable('a 2 s takeover with a 1 s rebalance tick was accepted');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        expect.stringMatching(/^SHARD_TAKEOVER_MS="2000": must be at least 5 × REBALANCE_MS/),
      ]);
    }
  });
});
