/**
 * Bids fired with autocannon's programmatic API. Every request picks a random buyer (their
 * real token), a quantity and a fresh Idempotency-Key in setupRequest; every answer's body
 * is kept (2xx and 409) so the run can account for each receipt afterwards, and every bid
 * refused 409 INSUFFICIENT_POINTS without a receipt is kept so the buyer's points can be checked.
 *
 * Latencies are every response's own time, kept exactly (not autocannon's histogram). For
 * fixed-rate runs (overallRate) we also count what autocannon sent against the schedule:
 * autocannon gives each connection a quota per second and skips, rather than queues, what
 * a stalled connection could not send, so a shortfall is exactly the requests a stall hid.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { Buyer } from './seed.ts';
import { Samples, type Summary, summarize } from './stats.ts';

export interface LoadPlan {
  readonly name: string;
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Stop after this many requests instead of after durationSeconds. */
  readonly amount?: number;
  /** The buyer of the i-th request; random by default. */
  readonly buyerFor?: (i: number) => number;
  /** Requests per second across all connections; unset for a closed-loop (max) run. */
  readonly overallRate?: number;
  readonly buyers: readonly Buyer[];
  /** The auction the i-th request bids on. */
  readonly auctionFor: (i: number) => string;
  readonly maxPrice?: number;
  /** Quantities to pick from, uniformly (repeat a value to weight it). */
  readonly quantities?: readonly number[];
  /** The body of the i-th request, sent at `sentAt` (epoch ms); default: a Dutch bid from `quantities`. */
  readonly bodyFor?: (i: number, sentAt: number) => BidBody;
  /** 409 codes whose receipt-less refusals are each kept (with times); INSUFFICIENT_POINTS always is. */
  readonly keepRefusals?: readonly string[];
}

/** What one request sends: its JSON, and the quantity (Dutch) or amount (English) in it. */
export interface BidBody {
  readonly body: string;
  readonly quantity: number;
  readonly amount: number | null;
}

/** One answered bid, as sent and as answered. */
export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly buyer: number;
  readonly auctionId: string;
  readonly quantity: number;
  /** An English bid's amount; null for a Dutch bid. */
  readonly amount: number | null;
}

/** A bid refused at once (409 with no receipt) with a code the plan keeps: verified bid by bid. */
export interface Refusal {
  readonly code: string;
  readonly buyer: number;
  readonly auctionId: string;
  readonly quantity: number;
  readonly amount: number | null;
  /** Epoch ms: setupRequest, before the gateway stamped the bid; and the answer's arrival, after. */
  readonly sentAt: number;
  readonly answeredAt: number;
}

export interface Schedule {
  readonly rate: number;
  readonly scheduled: number;
  readonly sent: number;
  readonly omitted: number;
  /** Whole seconds in which fewer than 95% of that second's quota went out. */
  readonly secondsBehind: number;
}

export interface LoadResult {
  readonly name: string;
  readonly connections: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly durationMs: number;
  readonly sent: number;
  readonly responses: number;
  /** Responses per second. */
  readonly rps: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** Error codes of non-2xx answers, e.g. SOLD_OUT. */
  readonly codes: Readonly<Record<string, number>>;
  /** Non-2xx answers by status and code, e.g. "409 SOLD_OUT": what the verification expects or not. */
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly transportErrors: number;
  readonly timeouts: number;
  readonly latency: Summary;
  readonly latencies: Float64Array;
  /** When each response arrived (epoch ms), in arrival order. */
  readonly answeredAt: Float64Array;
  /** 2xx answers and 409s that name a receipt (the synchronous design's FAILED bids). */
  readonly answers: readonly Answer[];
  /** Bids refused at once 409 INSUFFICIENT_POINTS, no receipt: verified against the buyer's points. */
  readonly pointsRefusals: readonly Refusal[];
  /** Every receipt-less refusal with a kept code (pointsRefusals among them). */
  readonly refusals: readonly Refusal[];
  readonly schedule: Schedule | null;
  /** Cores used per role during the run (see cpu.ts); filled in by the caller. */
  readonly cpu: Readonly<Record<string, number>> | null;
}

/** Weighted towards single units, as real buyers are; sized so 1,000 units sell out exactly. */
export const DEFAULT_QUANTITIES = [1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5];

interface BidContext {
  buyer: number;
  quantity: number;
  amount: number | null;
  auctionId: string;
  sentAt: number;
}

const CODE = /"code":"([A-Z_]+)"/;

/** What a run has counted so far; autocannon's callbacks add to it. */
interface LoadTally {
  readonly statuses: Record<string, number>;
  readonly codes: Record<string, number>;
  readonly statusCodes: Record<string, number>;
  readonly answers: Answer[];
  readonly refusals: Refusal[];
  readonly keep: ReadonlySet<string>;
  readonly latencies: Samples;
  readonly answeredAt: Samples;
  readonly sentPerSecond: number[];
  sent: number;
  transportErrors: number;
  started: number;
}

export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const tally: LoadTally = {
    statuses: {},
    codes: {},
    statusCodes: {},
    answers: [],
    refusals: [],
    keep: new Set(['INSUFFICIENT_POINTS', ...(plan.keepRefusals ?? [])]),
    latencies: new Samples(),
    answeredAt: new Samples(),
    sentPerSecond: [],
    sent: 0,
    transportErrors: 0,
    started: 0,
  };
  const options: autocannon.Options = {
    url: plan.url,
    connections: plan.connections,
    duration: plan.durationSeconds,
    ...(plan.amount === undefined ? {} : { amount: plan.amount }),
    requests: [buildRequest(plan, tally)],
    timeout: 10,
    ...(plan.overallRate === undefined ? {} : { overallRate: Math.round(plan.overallRate) }),
  };
  const result = await fireAutocannon(options, tally);
  return summarizeLoad(plan, tally, result);
}

/** The bid request: each one picks its buyer, quantity and auction, and each answer is counted. */
function buildRequest(plan: LoadPlan, tally: LoadTally): autocannon.Request {
  const bodyFor = plan.bodyFor ?? dutchBodies(plan);
  return {
    method: 'POST',
    path: '/',
    setupRequest: (req, context) => {
      const ctx = context as BidContext;
      const i = tally.sent++;
      if (tally.started > 0) {
        const second = Math.floor((Date.now() - tally.started) / 1000);
        tally.sentPerSecond[second] = (tally.sentPerSecond[second] ?? 0) + 1;
      }
      const { buyers } = plan;
      const buyer = plan.buyerFor === undefined ? Math.floor(Math.random() * buyers.length) : plan.buyerFor(i);
      const auctionId = plan.auctionFor(i);
      const sentAt = Date.now();
      const bid = bodyFor(i, sentAt);
      ctx.buyer = buyer;
      ctx.quantity = bid.quantity;
      ctx.amount = bid.amount;
      ctx.auctionId = auctionId;
      ctx.sentAt = sentAt;
      req.path = `/auctions/${auctionId}/bids`;
      req.headers = {
        authorization: (buyers[buyer] as Buyer).authorization,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      };
      req.body = bid.body;
      return req;
    },
    onResponse: (status, responseBody, context) => recordAnswer(status, responseBody, context as BidContext, tally),
  };
}

/** Counts one answer by status and code, keeping the ones the verification accounts for. */
function recordAnswer(status: number, responseBody: string, ctx: BidContext, tally: LoadTally): void {
  const { statuses, codes, statusCodes } = tally;
  const key = String(status);
  statuses[key] = (statuses[key] ?? 0) + 1;
  const accepted = status >= 200 && status < 300;
  const code = accepted ? null : (CODE.exec(responseBody)?.[1] ?? 'UNKNOWN');
  if (code !== null) {
    codes[code] = (codes[code] ?? 0) + 1;
    statusCodes[`${key} ${code}`] = (statusCodes[`${key} ${code}`] ?? 0) + 1;
  }
  const named = responseBody.includes('"receiptId"');
  if (status === 409 && !named && code !== null && tally.keep.has(code)) {
    const { buyer, auctionId, quantity, amount, sentAt } = ctx;
    tally.refusals.push({ code, buyer, auctionId, quantity, amount, sentAt, answeredAt: Date.now() });
  }
  if (accepted || (status === 409 && named)) {
    tally.answers.push({
      status,
      body: responseBody,
      buyer: ctx.buyer,
      auctionId: ctx.auctionId,
      quantity: ctx.quantity,
      amount: ctx.amount,
    });
  }
}

/** The default bodies: a Dutch bid of a random quantity (weighted by repetition) at maxPrice. */
function dutchBodies(plan: LoadPlan): (i: number) => BidBody {
  const quantities = plan.quantities ?? DEFAULT_QUANTITIES;
  const bodies = quantities.map((quantity) => ({
    body: JSON.stringify({ quantity, maxPrice: plan.maxPrice ?? 100 }),
    quantity,
    amount: null,
  }));
  return () => bodies[Math.floor(Math.random() * bodies.length)] as BidBody;
}

/** Runs autocannon to the end, timing every response and counting connection errors. */
function fireAutocannon(options: autocannon.Options, tally: LoadTally): Promise<autocannon.Result> {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    tally.started = Date.now();
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      tally.latencies.push(responseTime);
      tally.answeredAt.push(Date.now());
    });
    instance.on('reqError', () => {
      tally.transportErrors++;
    });
  });
}

/** What a fixed-rate run sent against its schedule; null for a max run. */
function measureSchedule(plan: LoadPlan, sentPerSecond: readonly number[]): Schedule | null {
  if (plan.overallRate === undefined) return null;
  const rate = Math.round(plan.overallRate);
  const whole = Math.floor(plan.durationSeconds);
  const scheduled = rate * whole;
  const within = sentPerSecond.slice(0, whole).reduce((n, s) => n + (s ?? 0), 0);
  let secondsBehind = 0;
  for (let s = 0; s < whole; s++) if ((sentPerSecond[s] ?? 0) < rate * 0.95) secondsBehind++;
  return { rate, scheduled, sent: within, omitted: Math.max(0, scheduled - within), secondsBehind };
}

function summarizeLoad(plan: LoadPlan, tally: LoadTally, result: autocannon.Result): LoadResult {
  const finishedAt = result.finish.getTime();
  const startedAt = result.start.getTime();
  const durationMs = finishedAt - startedAt;
  const { latencies } = tally;
  const responses = latencies.length;
  return {
    name: plan.name,
    connections: plan.connections,
    startedAt,
    finishedAt,
    durationMs,
    sent: tally.sent,
    responses,
    rps: responses / (durationMs / 1000),
    statuses: tally.statuses,
    codes: tally.codes,
    statusCodes: tally.statusCodes,
    transportErrors: Math.max(tally.transportErrors - result.timeouts, 0),
    timeouts: result.timeouts,
    latency: summarize(latencies.values()),
    latencies: Float64Array.from(latencies.values()),
    answeredAt: Float64Array.from(tally.answeredAt.values()),
    answers: tally.answers,
    pointsRefusals: tally.refusals.filter((r) => r.code === 'INSUFFICIENT_POINTS'),
    refusals: tally.refusals,
    schedule: measureSchedule(plan, tally.sentPerSecond),
    cpu: null,
  };
}
