/**
 * The one table of errors that say "the infrastructure is away, try the same work again"
 * rather than "this work is bad". Only the latter may count toward giving up on a message:
 * an outage must never fail a receipt. (graphile-worker keeps the same kind of table.)
 */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  // Node sockets and DNS
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  // postgres.js
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // SQLSTATEs: serialization failure, deadlock, lock not available, too many connections,
  // admin/crash shutdown, cannot connect now, query canceled (statement_timeout)
  '40001',
  '40P01',
  '55P03',
  '53300',
  '57P01',
  '57P02',
  '57P03',
  '57014',
]);

/** SQLSTATE class 08: connection exceptions, all retryable. */
const CONNECTION_EXCEPTION_CLASS = '08';

/** Redis (ioredis) says so in the message, not in a code. */
const RETRYABLE_REDIS_MESSAGES: readonly string[] = [
  'Connection is closed',
  "Stream isn't writeable",
  'Command timed out',
  'MaxRetriesPerRequestError',
];
const RETRYABLE_REDIS_PREFIXES: readonly string[] = ['LOADING', 'CLUSTERDOWN', 'TRYAGAIN', 'MASTERDOWN'];

export function isRetryableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (RETRYABLE_ERROR_CODES.has(code) || code.startsWith(CONNECTION_EXCEPTION_CLASS)))
    return true;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const { message } = error;
  return (
    RETRYABLE_REDIS_MESSAGES.some((text) => message.includes(text)) ||
    RETRYABLE_REDIS_PREFIXES.some((prefix) => message.startsWith(prefix))
  );
}
