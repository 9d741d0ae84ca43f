import type { AuctionDraft, EnglishDraft } from '@dutch/domain';
import type { StreamMessage } from '@dutch/stream';
import {
  type AcceptedBid,
  assertInvariants,
  bid,
  createAuction,
  createEnglishAuction,
  createMembers,
  englishBid,
  enqueue,
  prng,
  sleep,
  waitFor,
} from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultStack, pendingEntries, reportFigures, startFaultStack } from './harness.ts';

/**
 * Fault: consumers SIGKILLed while auctions are being closed. Hundreds of uniform Dutch and
 * English auctions end in waves a few hundred ms apart, their bids already settled; the
 * closers append the closes and the consumers settle them while a killer takes consumers down
 * (and back up) mid-stream. Every auction closes exactly once: one closed_at, one rebate row per
 * rebated receipt, one release and purchase per WON receipt, audit clean, no receipt lost.
 */
const PAIRS = 150;
const WAVES = 6;
const WAVE_GAP_MS = 400;
const GRACE_MS = 300;
const MIN_KILLS_DURING_CLOSES = 3;

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack('close-kills', {
    gateways: 0,
    consumers: 3,
    shards: 6,
    // Small batches and pools: closes take long enough for kills to land among them.
    consumerEnv: { BATCH_SIZE: '5', PG_POOL_SIZE: '2', CLAIM_IDLE_MS: '1500', CLOSE_GRACE_MS: String(GRACE_MS) },
  });
});
afterAll(async () => {
  await stack?.close();
});

interface Market {
  readonly auctionIds: string[];
  readonly messages: StreamMessage[];
  readonly initialPoints: Map<string, number>;
  readonly charged: number;
}

const UNIFORM: Partial<AuctionDraft> = {
  pricing: 'uniform',
  startPrice: 1_000,
  priceDrop: { kind: 'constant', amount: 10 },
  dropIntervalSeconds: 60,
  stock: 5,
  perBuyerLimit: 2,
};

/** Each auction with three buyers of its own (the replay needs that), bids settled long before the end. */
async function openMarket(firstEnd: number): Promise<Market> {
  const { db, sql } = stack.db;
  const random = prng(7);
  const [seller] = await createMembers(sql, [0]);
  const points = Array.from({ length: PAIRS * 6 }, () => 500 + Math.floor(random() * 2_000));
  const buyers = await createMembers(sql, points);
  const market: Market = { auctionIds: [], messages: [], initialPoints: new Map(), charged: 0 };
  for (const [i, id] of buyers.entries()) market.initialPoints.set(id, points[i] as number);
  for (let i = 0; i < PAIRS; i++) {
    const endsAt = firstEnd + (i % WAVES) * WAVE_GAP_MS;
    const startsAt = endsAt - 600_000;
    const own = buyers.slice(i * 6, i * 6 + 6);
    const buyer = (k: number) => own[k] as string;
    const dutch = await createAuction(db, seller as string, { ...UNIFORM, startsAt, endsAt });
    // A soft close on every other English auction (its last bid moves the end), a reserve on every third.
    const english: Partial<EnglishDraft> = {
      ...{ startsAt, endsAt, startPrice: 100, extendSeconds: i % 2 === 0 ? 2 : 0 },
      reservePrice: i % 3 === 0 ? 600 : null,
    };
    const lot = await createEnglishAuction(db, seller as string, english);
    market.messages.push(
      bid(dutch, buyer(0), 2, startsAt + 1_000),
      bid(dutch, buyer(1), 1, startsAt + 61_000 + i),
      bid(dutch, buyer(2), 2, startsAt + 121_000),
      englishBid(lot, buyer(3), 100 + (i % 50)),
      englishBid(lot, buyer(4), 300, startsAt + 2_000),
      englishBid(lot, buyer(5), 400 + (i % 300), endsAt - 1_000),
    );
    market.auctionIds.push(dutch.id, lot.id);
  }
  return { ...market, charged: points.reduce((sum, p) => sum + p, 0) };
}

/** What a 202 would have said for each bid (there was no gateway: the bids went straight to the streams). */
function acceptedOf(messages: readonly StreamMessage[]): AcceptedBid[] {
  return messages.flatMap((m) => {
    if (m.kind !== 'bid' && m.kind !== 'english_bid') return [];
    const [quantity, unitPrice] = m.kind === 'bid' ? [m.quantity, m.unitPrice] : [1, m.amount];
    const { receiptId, auctionId, buyerId, acceptedAt } = m;
    const told = { receiptId, auctionId, buyerId, quantity, unitPrice, acceptedAt, idempotencyKey: receiptId };
    return [{ ...told, target: 0, attempts: 1, interrupted: false, sentAt: acceptedAt, answeredAt: acceptedAt }];
  });
}

async function closedCount(ids: readonly string[]): Promise<number> {
  const [row] = await stack.db.sql<{ n: number }[]>`
    select count(*)::int as n from auctions where id = any(${[...ids]}::uuid[]) and closed_at is not null`;
  return row?.n ?? 0;
}

/** Kills a random live consumer whenever some auctions are closed and some not, restarting it in the background. */
async function killDuringCloses(ids: readonly string[]): Promise<{ kills: number; duringCloses: number }> {
  const random = prng(11);
  const restarts: Promise<void>[] = [];
  const restarting = new Set<string>();
  let kills = 0;
  let duringCloses = 0;
  for (let closed = await closedCount(ids); closed < ids.length; closed = await closedCount(ids)) {
    await sleep(100 + random() * 250);
    const live = stack.consumers.filter((c) => c.alive() && !restarting.has(c.name));
    const victim = live[Math.floor(random() * live.length)];
    if (victim === undefined || live.length < 2) continue;
    if (closed > 0) duringCloses++;
    await victim.kill('SIGKILL');
    kills++;
    restarting.add(victim.name);
    restarts.push(victim.restart().finally(() => restarting.delete(victim.name)));
    if (kills >= 40) break;
  }
  await Promise.all(restarts);
  return { kills, duringCloses };
}

describe('consumers killed while auctions close', () => {
  it(`${PAIRS * 2} auctions ending in waves, consumers SIGKILLed among the closes: each closes exactly once`, async () => {
    const firstEnd = Date.now() + 20_000;
    const market = await openMarket(firstEnd);
    await enqueue(stack.redisClient, stack.layout, market.messages);
    const ids = market.auctionIds;
    await waitFor(async () => Date.now() >= firstEnd + GRACE_MS - 200, 60_000, 'the first end');

    const { kills, duringCloses } = await killDuringCloses(ids);
    await waitFor(async () => (await closedCount(ids)) === ids.length, 120_000, 'every auction closed');
    await waitFor(async () => (await pendingEntries(stack.redisClient, stack.layout)) === 0, 60_000, 'nothing pending');
    expect(duringCloses).toBeGreaterThanOrEqual(MIN_KILLS_DURING_CLOSES);

    const report = await assertInvariants({
      sql: stack.db.sql,
      accepted: acceptedOf(market.messages),
      auctionIds: ids,
      charged: market.charged,
      initialPoints: market.initialPoints,
      exact: true,
      closed: ids,
      redis: { client: stack.redisClient, layout: stack.layout },
    });
    const figures = await closeFigures(ids);
    // Each rebated receipt has its one rebate row, each WON receipt its one release and purchase.
    expect(figures.rebateRows).toBe(figures.rebated);
    expect(figures.wonPurchases).toBe(figures.won);
    expect(figures.rebated).toBeGreaterThan(0);
    expect(figures.won).toBeGreaterThan(0);
    expect(figures.reserveNotMet).toBeGreaterThan(0);
    // Told exactly once, whatever the kills: one receipt notification per decided receipt (none here
    // goes through two told statuses), one sold per close, one rebate per rebated receipt.
    const told = await toldFigures(ids);
    expect(told.toldOnce).toBe(told.receipts);
    expect(told.receiptNotifications).toBe(told.receipts);
    expect(told.sold).toBe(ids.length);
    expect(told.rebates).toBe(figures.rebated);
    for (const consumer of stack.consumers) {
      expect(consumer.unexpectedExits(), `${consumer.name}:\n${consumer.output().slice(-3_000)}`).toBe(0);
    }
    reportFigures('close-kills', {
      auctions: ids.length,
      kills,
      killsDuringCloses: duringCloses,
      ...figures,
      ...told,
      settled: report.settled,
    });
  });
});

async function closeFigures(ids: readonly string[]) {
  const [row] = await stack.db.sql<
    {
      rebated: number;
      rebateRows: number;
      won: number;
      wonPurchases: number;
      reserveNotMet: number;
      extended: number;
    }[]
  >`
    select
      (select count(*)::int from receipts where auction_id = any(${[...ids]}::uuid[]) and rebate > 0) as rebated,
      (select count(*)::int from points_ledger l join receipts r on r.id = l.receipt_id
        where r.auction_id = any(${[...ids]}::uuid[]) and l.kind = 'rebate') as "rebateRows",
      (select count(*)::int from receipts where auction_id = any(${[...ids]}::uuid[]) and status = 'WON') as won,
      (select count(*)::int from points_ledger l join receipts r on r.id = l.receipt_id
        where r.status = 'WON' and r.auction_id = any(${[...ids]}::uuid[]) and l.kind = 'purchase') as "wonPurchases",
      (select count(*)::int from receipts where auction_id = any(${[...ids]}::uuid[])
        and status = 'RESERVE_NOT_MET') as "reserveNotMet",
      (select count(*)::int from auctions a where a.id = any(${[...ids]}::uuid[]) and a.format = 'english'
        and a.ends_at > a.starts_at + interval '600 seconds') as extended`;
  if (row === undefined) throw new Error('no figures');
  return row;
}

/** Receipts of the auctions, how many have exactly one notification for the status they ended in, and what was told. */
async function toldFigures(ids: readonly string[]) {
  const [row] = await stack.db.sql<
    { receipts: number; toldOnce: number; receiptNotifications: number; sold: number; rebates: number }[]
  >`
    select
      (select count(*)::int from receipts where auction_id = any(${[...ids]}::uuid[])) as receipts,
      (select count(*)::int from receipts r where r.auction_id = any(${[...ids]}::uuid[])
        and (select count(*) from notifications n where n.receipt_id = r.id and n.member_id = r.buyer_id
             and n.kind = 'receipt' and n.dedupe_key = 'receipt:' || r.id || ':' || r.status) = 1) as "toldOnce",
      (select count(*)::int from notifications where auction_id = any(${[...ids]}::uuid[])
        and kind = 'receipt') as "receiptNotifications",
      (select count(*)::int from notifications where auction_id = any(${[...ids]}::uuid[]) and kind = 'sold') as sold,
      (select count(*)::int from notifications where auction_id = any(${[...ids]}::uuid[]) and kind = 'rebate') as rebates`;
  if (row === undefined) throw new Error('no figures');
  return row;
}
