import { createServer } from 'node:net';

/**
 * The exit code of a process that must not be restarted: its cause (a port taken by another
 * program) will not go away by trying again, so the supervisor gives up and says why.
 */
export const FATAL_EXIT_CODE = 78;

/** The one line a newcomer reads when the gateway's port is taken (or not theirs to take). */
export function describeListenError(error: NodeJS.ErrnoException, port: number, host: string): string | null {
  if (error.code === 'EADDRINUSE') {
    return `Port ${port} on ${host} is already in use (EADDRINUSE). Stop what is listening there or set PORT to another port.`;
  }
  if (error.code === 'EACCES') {
    return `Not allowed to listen on port ${port} on ${host} (EACCES). Set PORT to a port above 1023.`;
  }
  if (error.code === 'EADDRNOTAVAIL') {
    return `${host} is not an address of this machine (EADDRNOTAVAIL). Set HOST to one of its addresses or 0.0.0.0.`;
  }
  return null;
}

/**
 * Binds and releases host:port, so `npm start` can refuse a taken port before it forks anything.
 * Port 0 (the kernel picks one) is always free. Another program may still take the port between
 * this check and the gateways' listen: server.ts handles that with FATAL_EXIT_CODE.
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
