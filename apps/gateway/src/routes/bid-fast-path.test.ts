import { captureLogs, type Reply, type RequestOptions, startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishBody } from './english-fixtures.test-util.ts';

/**
 * The bid fast path must be a shortcut, never a second definition: the same requests get the
 * same answers with it on and off, it serves only what it knows (the rest goes down the chain),
 * and every request it serves is counted and logged (aggregated).
 */
interface Side {
  readonly t: TestGateway;
  readonly logLines: Record<string, unknown>[];
}

async function startSide(env: Record<string, string>): Promise<Side> {
  const { logger, lines } = captureLogs();
  const t = await startTestGateway({ LOG_REQUESTS: 'true', ...env }, { logger });
  return { t, logLines: lines };
}

let fast: Side;
let chain: Side;
beforeAll(async () => {
  [fast, chain] = await Promise.all([startSide({}), startSide({ BID_FAST_PATH: 'false' })]);
});
afterAll(async () => {
  await Promise.all([fast.t.close(), chain.t.close()]);
});

/** What must be equal between the two: status, body (fresh ids and instants masked) and the headers a client reads. */
function comparable(reply: Reply): unknown {
  const body = JSON.stringify(reply.body)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<instant>');
  const header = (name: string) => reply.headers.get(name)?.replace(/[0-9a-f-]{36}/, '<uuid>') ?? null;
  return {
    status: reply.status,
    body: JSON.parse(body),
    contentType: header('content-type'),
    location: header('location'),
    nosniff: header('x-content-type-options'),
    retryAfter: header('retry-after'),
    requestId: reply.headers.get('x-request-id') !== null,
  };
}

/** One market on a side: a seller's Dutch auction (1000, -100 a minute) and English one, a rich and a poor buyer. */
async function market({ t }: Side) {
  const seller = await t.signUp('seller', 10);
  const rich = await t.signUp('rich', 100_000);
  const poor = await t.signUp('poor', 5);
  const dutch = await t.createAuction(seller.token, { stock: 3, perBuyerLimit: 2 });
  const created = await t.request('POST', '/auctions', {
    token: seller.token,
    body: englishBody(t, { startPrice: 100, minIncrement: 10 }),
  });
  const english = created.body;
  t.travel(Math.max(Date.parse(dutch.startsAt), Date.parse(english.startsAt)) - t.now() + 1);
  return { seller, rich, poor, dutch, english };
}

type Market = Awaited<ReturnType<typeof market>>;

/** Bids covering every answer the bid path gives, in an order where each depends on the ones before. */
const script = (m: Market): [string, RequestOptions][] => {
  const dutch = `/auctions/${m.dutch.id}/bids`;
  const english = `/auctions/${m.english.id}/bids`;
  const key = (k: string) => ({ 'idempotency-key': k });
  return [
    [dutch, { token: m.rich.token, body: { quantity: 1, maxPrice: 1000 }, headers: key('a') }],
    [dutch, { token: m.rich.token, body: { quantity: 1, maxPrice: 1000 }, headers: key('a') }],
    [dutch, { token: m.rich.token, body: { quantity: 2, maxPrice: 1000 }, headers: key('a') }],
    [dutch, { token: m.rich.token, body: { quantity: 1, maxPrice: 10 } }],
    [dutch, { token: m.seller.token, body: { quantity: 1, maxPrice: 1000 } }],
    [dutch, { token: m.poor.token, body: { quantity: 1, maxPrice: 1000 } }],
    [dutch, { token: m.rich.token, body: { quantity: 4, maxPrice: 1000 } }],
    [dutch, { token: m.rich.token, body: { amount: 1000 } }],
    [dutch, { token: m.rich.token, body: { quantity: 1, maxPrice: 1000, extra: 1 } }],
    [dutch, { token: m.rich.token, body: '{"quantity":1,' }],
    [dutch, { token: m.rich.token, body: { quantity: 1, maxPrice: 1000 }, headers: key('\u00e9') }],
    [dutch, { token: m.rich.token, body: { quantity: 1, maxPrice: 1000 }, headers: { 'content-type': 'text/plain' } }],
    [dutch, { token: `${m.rich.token.slice(0, -1)}x`, body: { quantity: 1, maxPrice: 1000 } }],
    [dutch, { body: { quantity: 1, maxPrice: 1000 } }],
    [english, { token: m.rich.token, body: { amount: 150 } }],
    [english, { token: m.rich.token, body: { amount: 50 } }],
    [english, { token: m.rich.token, body: { quantity: 1, maxPrice: 5 } }],
    [english, { token: m.poor.token, body: { amount: 500 } }],
    ['/auctions/01900000-0000-7000-8000-000000000000/bids', { token: m.rich.token, body: { amount: 150 } }],
  ];
};

async function play(side: Side): Promise<unknown[]> {
  const m = await market(side);
  const answers: unknown[] = [];
  // Twice: the first pass warms the caches (tokens, auctions), the second is what the fast path serves.
  for (const pass of [1, 2])
    for (const [path, options] of script(m)) {
      const headers: Record<string, string> =
        pass === 2 && options.headers?.['idempotency-key'] === 'a' ? { 'idempotency-key': 'b' } : {};
      answers.push(
        comparable(await side.t.request('POST', path, { ...options, headers: { ...options.headers, ...headers } })),
      );
    }
  return answers;
}

const summarized = (side: Side) =>
  side.logLines
    .filter((line) => line.msg === 'requests')
    .reduce((n, line) => n + Number((line as { requests: number }).requests), 0);

describe('the bid fast path', () => {
  it('answers every bid exactly as the middleware chain does, and serves the common ones itself', async () => {
    const [onFast, onChain] = await Promise.all([play(fast), play(chain)]);
    expect(onFast).toEqual(onChain);
    expect(onFast.filter((a) => (a as { status: number }).status === 202).length).toBeGreaterThan(3);

    // Served here: not one log line each but a summary line per second (RequestSummary).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(summarized(fast)).toBeGreaterThan(0);
    expect(summarized(chain)).toBe(0);
    const perRequest = (side: Side) =>
      side.logLines.filter((line) => line.msg === 'request' && String(line.route).endsWith('/bids')).length;
    const total = onFast.length;
    expect(perRequest(fast) + summarized(fast)).toBe(total);
    expect(perRequest(chain)).toBe(total);
  });

  it('counts every bid it serves in /metrics, as the chain counts its own', async () => {
    const m = await market(fast);
    const bid = { token: m.rich.token, body: { quantity: 1, maxPrice: 1000 } };
    const path = `/auctions/${m.dutch.id}/bids`;
    await fast.t.request('POST', path, bid);
    const before = await countAccepted(fast.t);
    for (let i = 0; i < 3; i++)
      expect((await fast.t.request('POST', path, { ...bid, body: { quantity: 1, maxPrice: 1000 } })).status).toBe(202);
    expect((await countAccepted(fast.t)) - before).toBe(3);
  });
});

async function countAccepted(t: TestGateway): Promise<number> {
  const text = String((await t.request('GET', '/metrics')).body);
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('dutch_http_requests_total{') &&
        l.includes('route="/auctions/:id/bids"') &&
        l.includes('status="202"'),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}
