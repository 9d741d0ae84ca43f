/** This consumer no longer holds the shard's lock: someone else settles it now. */
export class FencedOutError extends Error {
  constructor(readonly shard: number) {
    super(`shard ${shard} is no longer ours`);
    this.name = 'FencedOutError';
  }
}

const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** SQLSTATEs that say "try again later", not "this message is bad". */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '53300', '57P01', '57P02', '57P03', '57014']);

/**
 * Whether an error is the infrastructure's (retry the same work after a pause) rather than
 * the message's (isolate it, and dead-letter it if it keeps failing). Only message errors
 * may count toward dead-lettering: an outage must never fail a receipt.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || code.startsWith('08')) return true;
  }
  const message = error.message;
  return (
    message.includes('Connection is closed') ||
    message.includes("Stream isn't writeable") ||
    message.includes('Command timed out') ||
    message.startsWith('LOADING') ||
    message.startsWith('CLUSTERDOWN') ||
    message.startsWith('TRYAGAIN') ||
    message.startsWith('MASTERDOWN') ||
    message.includes('MaxRetriesPerRequestError') ||
    error.name === 'MaxRetriesPerRequestError'
  );
}
