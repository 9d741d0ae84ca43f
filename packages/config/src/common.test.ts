import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commonEnv, DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, toCommonConfig } from './common.ts';
import { boolVar, ConfigError, intVar, parseEnv } from './env.ts';

const load = (env: Record<string, string>) => toCommonConfig(parseEnv(z.object(commonEnv), env));

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the settings every process shares', () => {
  it('has a working default for each, so a dev machine needs no environment', () => {
    expect(load({})).toEqual({
      databaseUrl: DEFAULT_DATABASE_URL,
      redisUrl: DEFAULT_REDIS_URL,
      redisClusterNodes: null,
      keyPrefix: 'dutch:',
      shards: 8,
      logLevel: 'info',
    });
  });

  it('reads what is set, including the cluster seeds as host and port', () => {
    const config = load({
      DATABASE_URL: 'postgresql://u@db:5433/x',
      REDIS_CLUSTER_NODES: 'r1:7000,10.0.0.2:7001',
      KEY_PREFIX: 'staging:',
      SHARDS: ' 32 ',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://u@db:5433/x',
      redisClusterNodes: [
        { host: 'r1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      keyPrefix: 'staging:',
      shards: 32,
      logLevel: 'warn',
    });
  });

  it('names every bad variable with its value and the rule, instead of falling back to a default', () => {
    const problems = problemsOf(() =>
      load({
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'not a url',
        REDIS_CLUSTER_NODES: 'r1',
        KEY_PREFIX: 'has space',
        SHARDS: '0',
        LOG_LEVEL: 'loud',
      }),
    );
    expect(problems).toHaveLength(6);
    expect(problems).toContainEqual(
      expect.stringMatching(/^DATABASE_URL="mysql:\/\/x": must be a URL starting with postgres:/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/^REDIS_URL="not a url": /));
    expect(problems).toContainEqual(expect.stringMatching(/^REDIS_CLUSTER_NODES="r1": must be host:port/));
    expect(problems).toContainEqual(expect.stringMatching(/^KEY_PREFIX="has space": /));
    expect(problems).toContainEqual(expect.stringMatching(/^SHARDS="0": /));
    expect(problems).toContainEqual(expect.stringMatching(/^LOG_LEVEL="loud": /));
  });
});

describe('intVar', () => {
  const schema = z.object({ N: intVar(1, 100, 7) });
  it('takes whole numbers in range and the default when unset', () => {
    expect(parseEnv(schema, { N: '42' }).N).toBe(42);
    expect(parseEnv(schema, {}).N).toBe(7);
  });
  it.each(['12abc', '1.5', '', '0', '101', 'NaN', '1e2'])('refuses %j', (value) => {
    expect(problemsOf(() => parseEnv(schema, { N: value }))).toEqual([expect.stringMatching(/^N=/)]);
  });
});

describe('boolVar', () => {
  const schema = z.object({ B: boolVar(true) });
  it('reads the usual spellings and defaults when unset', () => {
    expect(['true', '1', 'yes'].map((B) => parseEnv(schema, { B }).B)).toEqual([true, true, true]);
    expect(['false', '0', 'no'].map((B) => parseEnv(schema, { B }).B)).toEqual([false, false, false]);
    expect(parseEnv(schema, {}).B).toBe(true);
  });
  it('refuses anything else rather than guessing', () => {
    expect(problemsOf(() => parseEnv(schema, { B: 'on' }))).toEqual(['B="on": must be true or false']);
  });
});
