import { ConfigError } from '@dutch/config';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig (gateway)', () => {
  it('defaults to a statement timeout just under the request timeout', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      requestTimeoutMs: 10_000,
      pgStatementTimeoutMs: 9_000,
      bidRatePerSecond: 20,
      bidRateBurst: 40,
      idempotencyTtlSeconds: 86_400,
      logRequests: true,
      redisDurability: 'none',
    });
  });

  it('keeps the statement timeout below a short request timeout, and takes an explicit one as given', () => {
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '500' }).pgStatementTimeoutMs).toBe(400);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '500', PG_STATEMENT_TIMEOUT_MS: '2000' }).pgStatementTimeoutMs).toBe(2000);
  });

  it('reads explicit values', () => {
    const config = loadConfig({
      PORT: '8080',
      BID_RATE_PER_SECOND: '0',
      LOG_REQUESTS: 'false',
      REDIS_DURABILITY: 'always',
    });
    expect(config).toMatchObject({
      port: 8080,
      bidRatePerSecond: 0,
      logRequests: false,
      redisDurability: 'always',
    });
  });

  it('refuses bad values, naming each, rather than starting on a default', () => {
    const load = () => loadConfig({ PORT: '70000', IDEMPOTENCY_TTL_SECONDS: '5' });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const names = (error as ConfigError).problems.map((problem) => problem.split('=')[0]);
      expect(names.sort()).toEqual(['IDEMPOTENCY_TTL_SECONDS', 'PORT']);
    }
  });

  it("leaves the launcher's settings to the launcher", () => {
    expect(loadConfig({ GATEWAY_WORKERS: 'many', CONSUMERS: '-1', HEAP_MB: 'lots' })).not.toHaveProperty('workers');
  });
});
