import type { Sql } from '@dutch/db';
import {
  type ChannelEvent,
  connectRedis,
  decodeEvent,
  eventsChannel,
  type KeyLayout,
  type RedisClient,
} from '@dutch/stream';
import {
  createTestDatabase,
  deleteKeys,
  randomPrefix,
  redisUrl,
  startTestConsumer,
  type TestConsumer,
  type TestDatabase,
} from '@dutch/testkit';
import { afterEach, beforeEach } from 'vitest';

/**
 * What the English and closing tests share: a database and key prefix per test, consumers on a
 * clock the test moves (the closer closes by it), the events the consumers publish, and readers
 * of the rows the close writes.
 */
export interface CloseFixture {
  db: TestDatabase;
  redis: RedisClient;
  layout: KeyLayout;
  /** The consumers' clock (epoch ms); tests set it. */
  now: number;
  /** Every event published on the channel since the test began, in order. */
  readonly events: ChannelEvent[];
  consumer(name?: string, extra?: Record<string, string>): TestConsumer;
  /** Stops a consumer started by consumer(). */
  stop(consumer: TestConsumer): Promise<void>;
}

/** Registers beforeEach/afterEach that set up and tear down a CloseFixture; read it inside tests only. */
export function useCloseFixture(): CloseFixture {
  const consumers: TestConsumer[] = [];
  let subscriber: RedisClient;
  const f = { now: Date.now(), events: [] as ChannelEvent[] } as CloseFixture & { events: ChannelEvent[] };
  f.consumer = (name = 'c1', extra = {}) => {
    const c = startTestConsumer(f.db.url, f.layout, name, extra, () => f.now);
    consumers.push(c);
    return c;
  };
  f.stop = async (c) => {
    consumers.splice(consumers.indexOf(c), 1);
    await c.close();
  };
  beforeEach(async () => {
    f.db = await createTestDatabase();
    f.redis = connectRedis({ url: redisUrl(), clusterNodes: null });
    f.layout = { prefix: randomPrefix(), shards: 4 };
    f.now = Date.now();
    f.events.length = 0;
    subscriber = connectRedis({ url: redisUrl(), clusterNodes: null }, { enableAutoPipelining: false });
    subscriber.on('message', (_channel: string, payload: string) => {
      const event = decodeEvent(payload);
      if (event !== null) f.events.push(event);
    });
    await subscriber.subscribe(eventsChannel(f.layout));
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.close()));
    subscriber.disconnect();
    await deleteKeys(f.redis, f.layout.prefix);
    await f.redis.quit();
    await f.db.drop();
  });
  return f;
}

export interface AuctionCloseRow {
  closedAt: number | null;
  endsAt: number;
  stock: number;
  clearingPrice: number | null;
  highBid: number | null;
  bidCount: number;
  leaderId: string | null;
  winnerId: string | null;
  finalPrice: number | null;
}

export async function auctionRow(sql: Sql, id: string): Promise<AuctionCloseRow> {
  const [row] = await sql<AuctionCloseRow[]>`
    select (extract(epoch from closed_at) * 1000)::int8 as "closedAt", (extract(epoch from ends_at) * 1000)::int8 as "endsAt", stock,
           clearing_price as "clearingPrice", high_bid as "highBid", bid_count as "bidCount", leader_id as "leaderId",
           winner_id as "winnerId", final_price as "finalPrice"
    from auctions where id = ${id}`;
  if (row === undefined) throw new Error(`no auction ${id}`);
  return row;
}

export interface CloseReceiptRow {
  id: string;
  buyerId: string;
  format: string;
  status: string;
  failureReason: string | null;
  quantity: number;
  unitPrice: number;
  total: number;
  finalUnitPrice: number | null;
  rebate: number;
}

/** An auction's receipts in settlement order, with what a close writes on them. */
export function closeReceipts(sql: Sql, auctionId: string): Promise<CloseReceiptRow[]> {
  return sql<CloseReceiptRow[]>`
    select id, buyer_id as "buyerId", format, status, failure_reason as "failureReason", quantity,
           unit_price as "unitPrice", total, final_unit_price as "finalUnitPrice", rebate::int as rebate
    from receipts where auction_id = ${auctionId} order by settle_seq`;
}

/** Free and held points of each member, as [points, held]. */
export async function balancesOf(sql: Sql, ids: readonly string[]): Promise<Map<string, [number, number]>> {
  const rows = await sql<{ id: string; points: number; held: number }[]>`
    select id, points::int as points, held_points::int as held from members where id = any(${[...ids]}::uuid[])`;
  return new Map(rows.map((r) => [r.id, [r.points, r.held]]));
}

/** The ledger rows of these receipts, in the order written, as [kind, from, to, amount, receipt]. */
export async function ledgerOf(
  sql: Sql,
  receiptIds: readonly string[],
): Promise<[string, string, string, number, string][]> {
  const rows = await sql<{ kind: string; from: string; to: string; amount: number; receiptId: string }[]>`
    select kind, from_member as "from", to_member as "to", amount::int as amount, receipt_id as "receiptId"
    from points_ledger where receipt_id = any(${[...receiptIds]}::uuid[]) order by id`;
  return rows.map((r) => [r.kind, r.from, r.to, r.amount, r.receiptId]);
}

/** The events of one type about one auction, in order. */
export function eventsOf<T extends ChannelEvent['type']>(
  events: readonly ChannelEvent[],
  type: T,
  auctionId: string,
): Extract<ChannelEvent, { type: T }>[] {
  return events.filter(
    (e): e is Extract<ChannelEvent, { type: T }> => e.type === type && 'auctionId' in e && e.auctionId === auctionId,
  );
}
