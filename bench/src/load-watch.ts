/**
 * The watch phase of the watchers scenario: every watcher PUTs /auctions/:id/watch once, with
 * their own token and alert price, through autocannon (the same client as the bids, so the rate
 * compares). Each answer is kept with the watcher it was for, so every watch can be accounted for.
 *
 * autocannon calls setupRequest exactly once per request it sends when `amount` is set (it stops
 * a connection before building a request past its share), so a shared counter hands each watcher
 * to exactly one request; a request lost to a reconnect shows as a watcher with no answer.
 */
import autocannon from 'autocannon';
import type { LoadResult } from './load.ts';
import type { Buyer } from './seed.ts';
import { Samples, summarize } from './stats.ts';

export interface WatchRequest {
  readonly watcher: Buyer;
  readonly alertPrice: number;
}

/** One PUT answered: whose it was, and what came back. */
export interface WatchAnswer {
  readonly memberId: string;
  readonly alertPrice: number;
  readonly status: number;
  readonly body: string;
}

export interface WatchRun {
  /** The run as the bid runs report it (answers/s, exact latencies, statuses), for figuresOf. */
  readonly load: LoadResult;
  readonly answers: readonly WatchAnswer[];
}

interface WatchContext {
  index: number;
}

/** What the run has counted so far; autocannon's callbacks add to it. */
interface WatchTally {
  readonly answers: WatchAnswer[];
  readonly statuses: Record<string, number>;
  readonly codes: Record<string, number>;
  readonly statusCodes: Record<string, number>;
  readonly latencies: Samples;
  readonly answeredAt: Samples;
  sent: number;
  transportErrors: number;
}

const CODE = /"code":"([A-Z_]+)"/;

export async function runWatches(
  url: string,
  auctionId: string,
  requests: readonly WatchRequest[],
  connections: number,
): Promise<WatchRun> {
  const tally: WatchTally = {
    answers: [],
    statuses: {},
    codes: {},
    statusCodes: {},
    latencies: new Samples(),
    answeredAt: new Samples(),
    sent: 0,
    transportErrors: 0,
  };
  const options: autocannon.Options = {
    url,
    connections: Math.min(connections, requests.length),
    amount: requests.length,
    requests: [buildWatchRequest(auctionId, requests, tally)],
    timeout: 10,
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      tally.latencies.push(responseTime);
      tally.answeredAt.push(Date.now());
    });
    instance.on('reqError', () => {
      tally.transportErrors++;
    });
  });
  return { load: summarizeWatches(tally, result, options.connections ?? connections), answers: tally.answers };
}

/** One PUT per watcher, in order, each answer counted and kept with its watcher. */
function buildWatchRequest(
  auctionId: string,
  requests: readonly WatchRequest[],
  tally: WatchTally,
): autocannon.Request {
  const plannedFor = (context: unknown) => requests[(context as WatchContext).index % requests.length] as WatchRequest;
  return {
    method: 'PUT',
    path: `/auctions/${auctionId}/watch`,
    setupRequest: (req, context) => {
      (context as WatchContext).index = tally.sent++;
      const planned = plannedFor(context);
      req.headers = { authorization: planned.watcher.authorization, 'content-type': 'application/json' };
      req.body = JSON.stringify({ alertPrice: planned.alertPrice });
      return req;
    },
    onResponse: (status, body, context) => {
      const planned = plannedFor(context);
      tally.statuses[String(status)] = (tally.statuses[String(status)] ?? 0) + 1;
      if (status < 200 || status >= 300) {
        const code = CODE.exec(body)?.[1] ?? 'UNKNOWN';
        tally.codes[code] = (tally.codes[code] ?? 0) + 1;
        tally.statusCodes[`${status} ${code}`] = (tally.statusCodes[`${status} ${code}`] ?? 0) + 1;
      }
      tally.answers.push({ memberId: planned.watcher.id, alertPrice: planned.alertPrice, status, body });
    },
  };
}

function summarizeWatches(tally: WatchTally, result: autocannon.Result, connections: number): LoadResult {
  const startedAt = result.start.getTime();
  const finishedAt = result.finish.getTime();
  const durationMs = finishedAt - startedAt;
  const { latencies } = tally;
  return {
    name: 'watchers: PUT /auctions/:id/watch',
    connections,
    startedAt,
    finishedAt,
    durationMs,
    sent: tally.sent,
    responses: latencies.length,
    rps: latencies.length / (durationMs / 1000),
    statuses: tally.statuses,
    codes: tally.codes,
    statusCodes: tally.statusCodes,
    transportErrors: Math.max(tally.transportErrors - result.timeouts, 0),
    timeouts: result.timeouts,
    latency: summarize(latencies.values()),
    latencies: Float64Array.from(latencies.values()),
    answeredAt: Float64Array.from(tally.answeredAt.values()),
    answers: [],
    pointsRefusals: [],
    refusals: [],
    schedule: null,
    cpu: null,
  };
}
