import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { waitFor } from '../wait.ts';
import { freePort } from './ports.ts';
import { answersPing } from './redis-server.ts';

const run = promisify(execFile);

export interface ClusterNode {
  readonly host: string;
  readonly port: number;
}

export interface RedisCluster {
  /** The masters, in the order they were created (each owns a third of the slots). */
  readonly nodes: readonly ClusterNode[];
  /** The value for REDIS_CLUSTER_NODES. */
  readonly seeds: string;
  /** One plain connection per node, for CLUSTER and SCAN commands on that node only. */
  connectNode(node: ClusterNode): Redis;
  /** Stops every server and deletes their directory; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of `masters` redis-server processes (no replicas) on private ports, in
 * a temporary directory, created with `redis-cli --cluster create` and ready (cluster_state:ok
 * on every node) when this resolves. On any failure along the way, whatever was started is
 * stopped and removed before the error is thrown.
 */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'dutch-cluster-'));
  const children: ChildProcess[] = [];
  const nodes: ClusterNode[] = [];
  // A worker that dies without running its hooks must not leave servers behind.
  const killAll = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killAll);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };

  const connectNode = (node: ClusterNode) =>
    new Redis({ host: node.host, port: node.port, lazyConnect: false, maxRetriesPerRequest: 1 });

  try {
    for (let i = 0; i < masters; i++) {
      const [port, busPort] = [await freePort(), await freePort()];
      const node = { host: '127.0.0.1', port };
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--cluster-port',
          String(busPort),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '5000',
          '--dir',
          dir,
          '--dbfilename',
          `dump-${port}.rdb`,
          '--save',
          '',
          '--appendonly',
          'no',
          '--logfile',
          join(dir, `redis-${port}.log`),
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
      nodes.push(node);
    }

    await Promise.all(
      nodes.map((node) =>
        waitFor(() => answersPing(node.port, node.host), 10_000, `redis-server on port ${node.port}`),
      ),
    );

    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `${node.host}:${node.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { timeout: 30_000 },
    );

    const probes = nodes.map(connectNode);
    try {
      await waitFor(
        async () => {
          const infos = await Promise.all(probes.map((probe) => probe.cluster('INFO') as Promise<string>));
          return infos.every(
            (info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`),
          );
        },
        20_000,
        'cluster_state:ok on every node',
      );
    } finally {
      for (const probe of probes) probe.disconnect();
    }

    return {
      nodes,
      seeds: nodes.map((node) => `${node.host}:${node.port}`).join(','),
      connectNode,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
