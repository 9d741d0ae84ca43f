import { auctions, auctionValues, type Db, type Sql, termsOf } from '@dutch/db';
import { type AuctionDraft, type AuctionTerms, priceAt } from '@dutch/domain';
import {
  type BidMessage,
  encodeMessage,
  type KeyLayout,
  type RedisClient,
  type RefundMessage,
  type StreamMessage,
  shardOf,
  streamKey,
} from '@dutch/stream';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';

/** Members with the given points each, charged through the ledger like real ones. */
export async function createMembers(
  sql: Sql,
  points: readonly number[],
  ids = points.map(() => uuidv4()),
  name = 'member',
): Promise<string[]> {
  await sql`insert into members (id, name, points) select id, ${name}, p from unnest(${ids}::uuid[], ${[...points]}::int8[]) as t(id, p)`;
  const charged = ids.map((id, i) => [id, points[i] as number] as const).filter(([, p]) => p > 0);
  if (charged.length > 0) {
    await sql`
      insert into points_ledger (kind, to_member, amount)
      select 'charge', id, p from unnest(${charged.map(([id]) => id)}::uuid[], ${charged.map(([, p]) => p)}::int8[]) as t(id, p)`;
  }
  return ids;
}

export async function createMember(sql: Sql, points = 0): Promise<string> {
  const [id] = await createMembers(sql, [points]);
  return id as string;
}

export interface SeededAuction {
  readonly id: string;
  readonly terms: AuctionTerms;
}

/** An auction row written directly (no gateway), running from `startsAt` by default one minute ago. */
export async function createAuction(
  db: Db,
  sellerId: string,
  overrides: Partial<AuctionDraft> = {},
  id = uuidv4(),
): Promise<SeededAuction> {
  const now = Date.now();
  const startsAt = overrides.startsAt ?? now - 60_000;
  const draft: AuctionDraft = {
    title: 'Seeded auction',
    description: '',
    startPrice: 100,
    floorPrice: null,
    priceDrop: { kind: 'constant', amount: 1 },
    dropIntervalSeconds: 60,
    startsAt,
    endsAt: startsAt + 3_600_000,
    stock: 10,
    perBuyerLimit: 5,
    showStock: true,
    pricing: 'pay_as_bid',
    ...overrides,
  };
  const [row] = await db
    .insert(auctions)
    .values(auctionValues(id, sellerId, draft))
    .returning();
  if (row === undefined) throw new Error('auction not created');
  return { id, terms: termsOf(row) };
}

/** A bid as the gateway would queue it: priced by the schedule at acceptedAt. */
export function bid(
  auction: SeededAuction,
  buyerId: string,
  quantity: number,
  acceptedAt = auction.terms.startsAt + 1_000,
): BidMessage {
  return {
    kind: 'bid',
    receiptId: uuidv7(),
    auctionId: auction.id,
    buyerId,
    quantity,
    unitPrice: priceAt(auction.terms, acceptedAt),
    acceptedAt,
  };
}

export function refund(
  auction: SeededAuction,
  receiptId: string,
  buyerId: string,
  requestedAt = auction.terms.endsAt,
): RefundMessage {
  return { kind: 'refund', receiptId, auctionId: auction.id, buyerId, requestId: uuidv4(), requestedAt };
}

/** Appends messages to their shards' streams, in order; returns the stream ids. */
export async function enqueue(
  redis: RedisClient,
  layout: KeyLayout,
  messages: readonly StreamMessage[],
): Promise<string[]> {
  const pipeline = redis.pipeline();
  for (const message of messages) {
    pipeline.xadd(streamKey(layout, shardOf(message.auctionId, layout.shards)), '*', ...encodeMessage(message));
  }
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, id]) => {
    if (error) throw error;
    return id as string;
  });
}

export async function pointsOf(sql: Sql, ids: readonly string[]): Promise<Map<string, number>> {
  const rows = await sql<
    { id: string; points: number }[]
  >`select id, points from members where id = any(${[...ids]}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.points]));
}

export async function stockOf(sql: Sql, auctionId: string): Promise<number> {
  const [row] = await sql<{ stock: number }[]>`select stock from auctions where id = ${auctionId}`;
  return row?.stock ?? Number.NaN;
}
