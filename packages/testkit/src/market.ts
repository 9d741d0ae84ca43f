import { type BidJob, newKey, prng } from './load.ts';

/** Auctions, sellers and buyers set up through the HTTP API, ready for a burst. */
export interface Market {
  readonly auctions: readonly { id: string; sellerId: string; stock: number }[];
  /** Each buyer bids in exactly one auction, so each auction's outcome can be replayed on its own. */
  readonly buyers: readonly { id: string; token: string; auctionId: string }[];
  /** Points each member was charged (sellers: 0). */
  readonly initialPoints: ReadonlyMap<string, number>;
  /** Sum of every charge made. */
  readonly charged: number;
}

export interface MarketOptions {
  readonly auctions?: number;
  readonly buyersPerAuction?: number;
  readonly stock?: number;
  readonly perBuyerLimit?: number;
  /** Points of most buyers; every fifth buyer gets `poorPoints`, so some bids fail for points. */
  readonly points?: number;
  readonly poorPoints?: number;
}

export async function api(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
  // biome-ignore lint/suspicious/noExplicitAny: callers read the JSON they asked for.
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}

async function member(base: string, name: string, points: number): Promise<{ id: string; token: string }> {
  const created = await api(base, 'POST', '/members', { body: { name } });
  if (created.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(created.body)}`);
  if (points > 0) {
    const charged = await api(base, 'POST', '/members/me/points', {
      token: created.body.token,
      body: { amount: points },
    });
    if (charged.status !== 200) throw new Error(`charge failed: ${JSON.stringify(charged.body)}`);
  }
  return { id: created.body.id, token: created.body.token };
}

/** Running auctions (price 100, dropping 1 a minute for an hour) and their buyers, made through `base`. */
export async function openMarket(base: string, options: MarketOptions = {}): Promise<Market> {
  const count = options.auctions ?? 8;
  const perAuction = options.buyersPerAuction ?? 40;
  const stock = options.stock ?? 2_500;
  const points = options.points ?? 20_000;
  const poorPoints = options.poorPoints ?? 1_500;
  const initialPoints = new Map<string, number>();
  let charged = 0;

  const auctions = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const seller = await member(base, `seller ${i}`, 0);
      initialPoints.set(seller.id, 0);
      const startsAt = Date.now();
      const created = await api(base, 'POST', '/auctions', {
        token: seller.token,
        body: {
          title: `Fault drill lot ${i}`,
          startPrice: 100,
          priceDrop: { kind: 'constant', amount: 1 },
          dropIntervalSeconds: 60,
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(startsAt + 3_600_000).toISOString(),
          stock,
          perBuyerLimit: options.perBuyerLimit ?? 100,
        },
      });
      if (created.status !== 201) throw new Error(`auction not created: ${JSON.stringify(created.body)}`);
      return { id: created.body.id as string, sellerId: seller.id, stock };
    }),
  );

  const buyers: { id: string; token: string; auctionId: string }[] = [];
  const jobs = auctions.flatMap((auction, a) =>
    Array.from({ length: perAuction }, (_, b) => ({ auction, a, b, points: b % 5 === 4 ? poorPoints : points })),
  );
  // A few at a time: sign-ups are not what is being tested.
  for (let i = 0; i < jobs.length; i += 16) {
    const made = await Promise.all(
      jobs.slice(i, i + 16).map(async (job) => {
        const buyer = await member(base, `buyer ${job.a}.${job.b}`, job.points);
        return { ...buyer, auctionId: job.auction.id, points: job.points };
      }),
    );
    for (const buyer of made) {
      buyers.push({ id: buyer.id, token: buyer.token, auctionId: buyer.auctionId });
      initialPoints.set(buyer.id, buyer.points);
      charged += buyer.points;
    }
  }
  return { auctions, buyers, initialPoints, charged };
}

/** `count` bids spread over the market's auctions, 1 or 2 units each, from that auction's buyers. */
export function bidJobs(market: Market, count: number, seed: number): BidJob[] {
  const random = prng(seed);
  const byAuction = new Map<string, Market['buyers'][number][]>();
  for (const buyer of market.buyers) {
    const list = byAuction.get(buyer.auctionId) ?? [];
    list.push(buyer);
    byAuction.set(buyer.auctionId, list);
  }
  return Array.from({ length: count }, () => {
    const auction = market.auctions[Math.floor(random() * market.auctions.length)] as Market['auctions'][number];
    const buyers = byAuction.get(auction.id) ?? [];
    const buyer = buyers[Math.floor(random() * buyers.length)] as Market['buyers'][number];
    return {
      auctionId: auction.id,
      buyerId: buyer.id,
      token: buyer.token,
      quantity: 1 + Math.floor(random() * 2),
      maxPrice: 1_000,
      idempotencyKey: newKey(),
    };
  });
}
