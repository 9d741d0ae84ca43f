import cluster from 'node:cluster';
import { serve } from '@hono/node-server';

type Fetch = (request: Request) => Response | Promise<Response>;

/**
 * Runs a reference server the way the engine runs its gateway: WORKERS processes on
 * node:cluster sharing PORT. The primary tells its parent (the bench) once every worker listens.
 */
export async function runCluster(createFetch: () => Promise<Fetch> | Fetch): Promise<void> {
  const workers = Math.max(1, Number(process.env.WORKERS ?? 1));
  const port = Number(process.env.PORT ?? 0);
  if (cluster.isPrimary) {
    cluster.setupPrimary({ execArgv: process.execArgv });
    let listening = 0;
    cluster.on('listening', (_worker, address) => {
      if (++listening === workers) process.send?.({ type: 'listening', port: address.port });
    });
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping) console.error(`reference worker ${worker.process.pid} exited (${code ?? signal})`);
    });
    let stopping = false;
    const stop = () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
      setTimeout(() => process.exit(0), 200).unref();
      cluster.disconnect(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    for (let i = 0; i < workers; i++) cluster.fork();
    return;
  }
  const fetch = await createFetch();
  const server = serve({ fetch, port, hostname: '127.0.0.1' });
  process.on('SIGTERM', () => {
    server.close();
    process.exit(0);
  });
}
