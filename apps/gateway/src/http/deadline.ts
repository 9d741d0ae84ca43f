import type { Db } from '@dutch/db';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../api-error.ts';
import type { HonoEnv } from '../hono-env.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const timedOut = () =>
  new ApiError(
    'SERVICE_UNAVAILABLE',
    'The request took too long and was not carried out; retry it (with the same Idempotency-Key for bids).',
    undefined,
    { 'Retry-After': '1' },
  );

/**
 * A request's race against REQUEST_TIMEOUT_MS, decided once: either the timeout wins (the
 * client gets 503 and the work must not commit), or the work reaches its commit first (the
 * timeout then waits for it, and the client gets the real answer). Never both: a charge that
 * commits after its 503 would be charged twice when the client retries.
 */
export class Deadline {
  private state: 'running' | 'expired' | 'committing' = 'running';

  /** The timeout fired: true when the work had not begun to commit, so the request answers 503. */
  expire(): boolean {
    if (this.state !== 'running') return false;
    this.state = 'expired';
    return true;
  }

  /** Right before COMMIT: true when the request may still commit; the timeout then waits for it. */
  claimCommit(): boolean {
    if (this.state === 'expired') return false;
    this.state = 'committing';
    return true;
  }
}

/** Answers 503 SERVICE_UNAVAILABLE (with Retry-After) when a request takes longer than `ms`, unless it is committing. */
export function requestTimeout(ms: number) {
  return createMiddleware<HonoEnv>(async (c, next) => {
    const deadline = new Deadline();
    c.set('deadline', deadline);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    });
    const work = next().then(() => 'done' as const);
    try {
      const first = await Promise.race([work, timeout]);
      if (first === 'timeout' && deadline.expire()) {
        // The work goes on in the background until its statement returns, then rolls back.
        work.catch(() => {});
        throw timedOut();
      }
      await work;
    } finally {
      clearTimeout(timer);
    }
  });
}

/**
 * A database transaction that commits only if the request has not been answered 503 for taking
 * too long; otherwise it rolls back. Every write a client may retry goes through here.
 */
export function transactionInTime<T>(c: Context<HonoEnv>, db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const deadline = c.get('deadline');
  return db.transaction(async (tx) => {
    const result = await work(tx);
    if (deadline !== undefined && !deadline.claimCommit()) throw timedOut();
    return result;
  });
}
