import { fork } from 'node:child_process';
import cluster from 'node:cluster';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configOrExit } from '@dutch/config';
import { findPostgresFixProblem, migrate } from '@dutch/db';
import { handleShutdown, isMessage } from '@dutch/runtime';
import pino from 'pino';
import { announceWhenReady } from './announce.ts';
import { checkDependencies } from './check-dependencies.ts';
import { answerMetricsCollection } from './cluster-metrics.ts';
import { type LauncherConfig, loadConfig } from './config.ts';
import { checkPort } from './port-check.ts';
import { Supervisor } from './supervisor.ts';

/**
 * `npm start`: checks that Postgres and Redis answer, migrates, starts the gateway processes
 * (node:cluster, all on one port, each serving the live page) and the consumers, prints where to
 * look, and stops them all cleanly on Ctrl-C.
 */
const GATEWAY = fileURLToPath(new URL('./gateway-worker.ts', import.meta.url));
const CONSUMER = fileURLToPath(import.meta.resolve('@dutch/consumer/main'));

const config = configOrExit(loadConfig);
const logger = pino({ level: config.logLevel, base: { launcher: process.pid } });

await refuseWhatCannotRun(config);
await migrate(config.databaseUrl);

// A gateway that cannot listen (its port was taken after checkPort) says why over IPC and exits
// with FATAL_EXIT_CODE: the launcher prints that once and stops, rather than restart it forever.
const supervisor = new Supervisor(logger, (name) => giveUp(`${name} cannot run here and was not restarted.`));
const execArgv = ['--import', 'tsx', `--max-old-space-size=${config.heapMb}`];
const ready = announceWhenReady(config);
startGateways();
startConsumers();

let givingUp: Promise<void> | null = null;
const shutdown = handleShutdown({
  // Past the supervisor's own 15 s, after which it kills what is left.
  graceMs: 20_000,
  stop: async (signal) => {
    // Giving up already stops everything and exits 1; a Ctrl-C meanwhile must not turn that into 0.
    if (givingUp !== null) return givingUp;
    console.log(`\n${signal}: stopping the gateway and the consumers...`);
    await supervisor.stop(15_000);
    console.log('Stopped.');
  },
});

/** The dependency and port checks: every problem on stderr, one line each, and exit 1. */
async function refuseWhatCannotRun({
  databaseUrl,
  redisUrl,
  redisClusterNodes,
  redisDurability,
  port,
  host,
}: LauncherConfig) {
  const [dependencyProblems, portProblem] = await Promise.all([
    checkDependencies(databaseUrl, { url: redisUrl, clusterNodes: redisClusterNodes }, { redisDurability }),
    checkPort(port, host),
  ]);
  const fixProblem = findPostgresFixProblem();
  const problems = [...dependencyProblems, portProblem, fixProblem].filter((p): p is string => p !== null);
  if (problems.length === 0) return;
  for (const problem of problems) console.error(problem);
  process.exit(1);
}

function startGateways(): void {
  cluster.setupPrimary({ exec: GATEWAY, execArgv, silent: false });
  for (let i = 0; i < config.workers; i++) {
    supervisor.run({ name: `gateway-${i}`, spawn: () => cluster.fork().process }, (child) => {
      answerMetricsCollection(child, () => supervisor.all());
      child.on('message', (message: unknown) => {
        if (isMessage(message, 'fatal')) giveUp(message.line);
        else if (isMessage(message, 'listening')) ready.gatewayListening(message.port);
      });
    });
  }
}

function startConsumers(): void {
  for (let i = 0; i < config.consumers; i++) {
    // Stable across restarts under this launcher, so a restarted consumer finds its own pending entries.
    const name = process.env.CONSUMER_NAME ?? `${hostname()}-${process.pid}-c${i}`;
    const env = { ...process.env, CONSUMER_NAME: name };
    supervisor.run({ name: `consumer-${i}`, spawn: () => fork(CONSUMER, [], { execArgv, env }) }, (child) => {
      child.on('message', (message: unknown) => {
        if (isMessage(message, 'ready')) ready.consumerReady();
      });
    });
  }
}

/** One line on stderr, everything stopped, exit 1: what the dependency checks do, after the fork. */
function giveUp(line: string): void {
  if (shutdown.stopping() || givingUp !== null) return;
  console.error(line);
  givingUp = supervisor.stop(15_000).then(() => process.exit(1));
}
