import { randomUUID } from 'node:crypto';
import type { BidMessage } from '@dutch/stream';
import { sleep } from './wait.ts';

/** One bid a simulated client wants placed. */
export interface BidJob {
  readonly auctionId: string;
  readonly buyerId: string;
  readonly token: string;
  readonly quantity: number;
  readonly maxPrice: number;
  /** Sent as Idempotency-Key on every attempt of this bid. */
  readonly idempotencyKey: string;
}

/** What a 202 said. */
export interface AcceptedBid
  extends Pick<BidMessage, 'receiptId' | 'auctionId' | 'buyerId' | 'quantity' | 'unitPrice' | 'acceptedAt'> {
  readonly idempotencyKey: string;
  /** Which target answered. */
  readonly target: number;
  /** Attempts it took (1 = first try). */
  readonly attempts: number;
  /** Whether an earlier attempt of this bid ended without an answer (connection refused or cut). */
  readonly interrupted: boolean;
  /** Client clock when the bid was first sent. */
  readonly sentAt: number;
  /** Client clock when the 202 arrived. */
  readonly answeredAt: number;
}

export interface BurstReport {
  readonly sent: number;
  readonly accepted: AcceptedBid[];
  /** Final refusals (4xx), by error code. */
  readonly refused: Map<string, number>;
  /** Bids given up on without a final answer (only when retries are off or ran out). */
  readonly unanswered: number;
  /** Attempts that ended with no HTTP answer (connection refused, reset, timeout). */
  readonly networkErrors: number;
  /** 503 answers (each is retried when retries are on). */
  readonly unavailable: number;
  /** 5xx answers other than 503: always a bug. */
  readonly serverErrors: { status: number; body: string }[];
  /** Every answer's status and client time, for looking at a window (e.g. an outage). */
  readonly answers: { at: number; status: number }[];
  readonly durationMs: number;
}

export interface BurstOptions {
  /** Gateway base URLs. */
  readonly targets: readonly string[];
  /** Requests in flight at once. */
  readonly concurrency?: number;
  /**
   * Retry an attempt that got no answer or a 503, with the same Idempotency-Key, against the
   * same target (a client keeps talking to its gateway, and waits for it to come back).
   */
  readonly retry?: boolean;
  /** Give up retrying a bid after this long (default 120 s). */
  readonly retryForMs?: number;
  /** Called after every final answer with the number answered so far. */
  readonly onProgress?: (answered: number) => void;
  /** Filled with the bids awaiting an answer (by Idempotency-Key), and emptied as they are answered. */
  readonly inFlight?: Map<string, { readonly job: BidJob; readonly target: number }>;
}

/**
 * Fires the jobs at the gateways over HTTP with `concurrency` clients, each pinned to one target
 * (client i talks to target i mod n), and collects every answer.
 */
export async function burst(jobs: readonly BidJob[], options: BurstOptions): Promise<BurstReport> {
  const concurrency = options.concurrency ?? 48;
  const retryForMs = options.retryForMs ?? 120_000;
  const accepted: AcceptedBid[] = [];
  const refused = new Map<string, number>();
  const serverErrors: { status: number; body: string }[] = [];
  const answers: { at: number; status: number }[] = [];
  let unanswered = 0;
  let networkErrors = 0;
  let unavailable = 0;
  let next = 0;
  let answered = 0;
  const started = Date.now();

  const place = async (job: BidJob, target: number): Promise<void> => {
    const url = `${options.targets[target]}/auctions/${job.auctionId}/bids`;
    const sentAt = Date.now();
    const giveUpAt = sentAt + retryForMs;
    let interrupted = false;
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let text: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${job.token}`,
            'idempotency-key': job.idempotencyKey,
          },
          body: JSON.stringify({ quantity: job.quantity, maxPrice: job.maxPrice }),
          signal: AbortSignal.timeout(60_000),
        });
        status = response.status;
        text = await response.text();
      } catch {
        networkErrors++;
        interrupted = true;
        if (options.retry && Date.now() < giveUpAt) {
          await sleep(100 + Math.random() * 200);
          continue;
        }
        unanswered++;
        return;
      }
      answers.push({ at: Date.now(), status });
      if (status === 503) {
        unavailable++;
        if (options.retry && Date.now() < giveUpAt) {
          await sleep(100 + Math.random() * 200);
          continue;
        }
        unanswered++;
        return;
      }
      if (status >= 500) {
        serverErrors.push({ status, body: text.slice(0, 500) });
        unanswered++;
        return;
      }
      if (status === 202) {
        const body = JSON.parse(text) as { receiptId: string; acceptedAt: string; unitPrice: number };
        accepted.push({
          receiptId: body.receiptId,
          auctionId: job.auctionId,
          buyerId: job.buyerId,
          quantity: job.quantity,
          unitPrice: body.unitPrice,
          acceptedAt: Date.parse(body.acceptedAt),
          idempotencyKey: job.idempotencyKey,
          target,
          attempts: attempt,
          interrupted,
          sentAt,
          answeredAt: Date.now(),
        });
      } else {
        let code = `HTTP_${status}`;
        try {
          code = (JSON.parse(text) as { error: { code: string } }).error.code;
        } catch {
          // keep the status
        }
        refused.set(code, (refused.get(code) ?? 0) + 1);
      }
      return;
    }
  };

  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      const target = client % options.targets.length;
      while (next < jobs.length) {
        const job = jobs[next++] as BidJob;
        options.inFlight?.set(job.idempotencyKey, { job, target });
        await place(job, target);
        options.inFlight?.delete(job.idempotencyKey);
        answered++;
        options.onProgress?.(answered);
      }
    }),
  );
  return {
    sent: jobs.length,
    accepted,
    refused,
    unanswered,
    networkErrors,
    unavailable,
    serverErrors,
    answers,
    durationMs: Date.now() - started,
  };
}

/** A small deterministic PRNG (mulberry32), so a run's mix of bids can be reproduced from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function newKey(): string {
  return randomUUID();
}

/** 202s for bids sent before `at` and answered after it: in flight at that instant. */
export function inFlightAt(accepted: readonly AcceptedBid[], at: number): number {
  return accepted.filter((bid) => bid.sentAt <= at && bid.answeredAt >= at).length;
}
