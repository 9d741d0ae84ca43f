import { fork } from 'node:child_process';
import cluster from 'node:cluster';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configOrExit } from '@dutch/config';
import { migrate } from '@dutch/db';
import pino from 'pino';
import { aggregate, type MetricsJson } from './cluster-metrics.ts';
import { loadConfig } from './config.ts';
import { checkDependencies } from './launch/check-dependencies.ts';
import { checkPort } from './launch/port-check.ts';
import { Supervisor } from './launch/supervisor.ts';

/**
 * `npm start`: checks that Postgres and Redis answer, migrates, starts the gateway processes
 * (node:cluster, all on one port) and the consumers, prints where to look, and stops them
 * all cleanly on Ctrl-C.
 */
const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));
const CONSUMER = fileURLToPath(new URL('../../consumer/src/main.ts', import.meta.url));

const config = configOrExit(loadConfig);
const logger = pino({ level: config.logLevel, base: { launcher: process.pid } });

const [dependencyProblems, portProblem] = await Promise.all([
  checkDependencies(
    config.databaseUrl,
    { url: config.redisUrl, clusterNodes: config.redisClusterNodes },
    { redisDurability: config.redisDurability },
  ),
  checkPort(config.port, config.host),
]);
const problems = portProblem === null ? dependencyProblems : [...dependencyProblems, portProblem];
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
await migrate(config.databaseUrl);

// A gateway that cannot listen (its port was taken after checkPort) says why over IPC and exits
// with FATAL_EXIT_CODE: the launcher prints that once and stops, rather than restart it forever.
const supervisor = new Supervisor(logger, (name) => giveUp(`${name} cannot run here and was not restarted.`));
const execArgv = ['--import', 'tsx', `--max-old-space-size=${config.heapMb}`];
cluster.setupPrimary({ exec: SERVER, execArgv, silent: false });

let listeningPort: number | null = null;
let consumersReady = 0;
const announce = () => {
  if (listeningPort === null || consumersReady < config.consumers || announced) return;
  announced = true;
  const base = `http://localhost:${listeningPort}`;
  console.log(
    [
      '',
      'Dutch auction engine is running',
      `  Live auctions  ${base}/`,
      `  API docs       ${base}/docs`,
      `  Metrics        ${base}/metrics`,
      `  ${config.workers} gateway process(es), ${config.consumers} consumer(s), ${config.shards} shards`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
};
let announced = false;

for (let i = 0; i < config.workers; i++) {
  supervisor.run({ name: `gateway-${i}`, spawn: () => cluster.fork().process }, (child) => {
    child.on('message', (message: { type?: string; port?: number; id?: number }) => {
      if (message?.type === 'fatal' && typeof (message as { line?: unknown }).line === 'string') {
        giveUp((message as { line: string }).line);
      } else if (message?.type === 'listening' && message.port !== undefined) {
        listeningPort = message.port;
        announce();
      } else if (message?.type === 'metrics-collect' && message.id !== undefined) {
        const id = message.id;
        void collectAll().then((text) => child.send({ type: 'metrics-aggregate', id, text }));
      }
    });
  });
}

for (let i = 0; i < config.consumers; i++) {
  // Stable across restarts under this launcher, so a restarted consumer finds its own pending entries.
  const env = { ...process.env, CONSUMER_NAME: process.env.CONSUMER_NAME ?? `${hostname()}-${process.pid}-c${i}` };
  supervisor.run({ name: `consumer-${i}`, spawn: () => fork(CONSUMER, [], { execArgv, env }) }, (child) => {
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') {
        consumersReady++;
        announce();
      }
    });
  });
}

let requestId = 0;
/** Every process's metrics, summed: a scrape of any gateway process shows the whole engine. */
async function collectAll(): Promise<string> {
  const parts = await Promise.all(
    supervisor.all().map(
      (child) =>
        new Promise<MetricsJson>((resolve) => {
          const id = requestId++;
          const timer = setTimeout(() => resolve([]), 1_000);
          const onMessage = (message: { type?: string; id?: number; metrics?: MetricsJson }) => {
            if (message?.type !== 'metrics-response' || message.id !== id) return;
            clearTimeout(timer);
            child.off('message', onMessage);
            resolve(message.metrics ?? []);
          };
          child.on('message', onMessage);
          child.send?.({ type: 'metrics-request', id });
        }),
    ),
  );
  return aggregate(parts);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the gateway and the consumers...`);
  await supervisor.stop(15_000);
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));

/** One line on stderr, everything stopped, exit 1: what the dependency checks do, after the fork. */
function giveUp(line: string): void {
  if (stopping) return;
  stopping = true;
  console.error(line);
  void supervisor.stop(15_000).then(() => process.exit(1));
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
