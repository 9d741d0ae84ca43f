import { availableParallelism } from 'node:os';
import { ConfigError, type Env, intVar, parseEnv } from '@dutch/config';
import { type GatewayConfig, loadConfig as loadGatewayConfig } from '@dutch/gateway';
import { z } from 'zod';

/** What only `npm start` reads: how many processes of each kind, and how much heap each gets. */
const schema = z.object({
  GATEWAY_WORKERS: intVar(0, 256, 0),
  CONSUMERS: intVar(0, 256, 2),
  HEAP_MB: intVar(32, 65_536, 128),
});

/** The gateway's settings (it checks the port, Redis and Postgres before forking) plus its own. */
export interface LauncherConfig extends GatewayConfig {
  /** Gateway processes (node:cluster); 0 in the environment means one per CPU core. */
  readonly workers: number;
  /** Consumer processes run beside the gateways. */
  readonly consumers: number;
  /**
   * V8 old-space limit (MB) for each process it runs. Their live data is a few tens of MB;
   * without a limit V8 lets the heap grow to hundreds under a burst before it collects.
   */
  readonly heapMb: number;
}

/** Every bad variable, the gateway's and the launcher's alike, named in one ConfigError. */
export function loadConfig(env: Env): LauncherConfig {
  const problems: string[] = [];
  const gateway = collectProblems(() => loadGatewayConfig(env), problems);
  const own = collectProblems(() => parseEnv(schema, env), problems);
  if (gateway === null || own === null) throw new ConfigError(problems);
  return {
    ...gateway,
    workers: own.GATEWAY_WORKERS === 0 ? availableParallelism() : own.GATEWAY_WORKERS,
    consumers: own.CONSUMERS,
    heapMb: own.HEAP_MB,
  };
}

function collectProblems<T>(load: () => T, problems: string[]): T | null {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
    return null;
  }
}
