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
