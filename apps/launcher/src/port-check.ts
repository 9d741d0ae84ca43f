import { createServer } from 'node:net';
import { describeListenError } from '@dutch/gateway';

/**
 * Binds and releases host:port, so `npm start` can refuse a taken port before it forks anything.
 * Port 0 (the kernel picks one) is always free. Another program may still take the port between
 * this check and the gateways' listen: they exit with FATAL_EXIT_CODE then (@dutch/runtime).
 */
export function checkPort(port: number, host: string): Promise<string | null> {
  if (port === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        describeListenError(error, port, host) ?? `Cannot listen on ${host}:${port} (${error.code ?? error.message}).`,
      ),
    );
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(null)));
  });
}
