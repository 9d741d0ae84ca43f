/**
 * The data a run bids with, written straight into its own fresh database: members with real
 * bearer tokens (issued by the gateway's own token code, only the SHA-256 of the secret
 * stored), points charged through the ledger, and auctions built with auctionValues().
 */
import { randomBytes } from 'node:crypto';
import { type AuctionTermsRow, auctions, auctionValues, type DbClient, type Sql, termsOf } from '@dutch/db';
import type { AuctionDraft, AuctionTerms } from '@dutch/domain';
import { issueToken } from '@dutch/gateway/auth-tokens';
import { encodeEvent, eventsChannel, type KeyLayout, type RedisClient } from '@dutch/stream';
import { createMembers } from '@dutch/testkit/seed';
import { v4 as uuidv4 } from 'uuid';

export interface Buyer {
  readonly id: string;
  readonly token: string;
  /** "Bearer <token>", prebuilt for the hot loop. */
  readonly authorization: string;
}

export interface SeededAuction {
  readonly id: string;
  readonly terms: AuctionTerms;
}

export function benchDatabaseName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').replace(/\..*$/, '').toLowerCase();
  return `dutch_bench_${stamp}_${randomBytes(3).toString('hex')}`;
}

export function databaseUrlFor(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Members with the given points (the test kit's createMembers: rows and ledger charges), each with
 * a real token, in chunks so a run's tens of thousands stay within one statement's parameters.
 */
export async function createBuyers(sql: Sql, points: readonly number[], name = 'buyer'): Promise<Buyer[]> {
  const members = points.map(() => ({ id: uuidv4(), token: issueToken() }));
  const chunk = 5_000;
  for (let i = 0; i < members.length; i += chunk) {
    const part = members.slice(i, i + chunk);
    await createMembers(
      sql,
      points.slice(i, i + chunk),
      part.map((m) => m.id),
      name,
    );
    await sql`
      insert into member_tokens (id, member_id, secret_hash)
      select t.id, t.member_id, decode(t.hash, 'hex')
      from unnest(${part.map((m) => m.token.tokenId)}::uuid[], ${part.map((m) => m.id)}::uuid[],
                  ${part.map((m) => m.token.secretHash.toString('hex'))}::text[]) as t(id, member_id, hash)`;
  }
  return members.map((m) => ({ id: m.id, token: m.token.token, authorization: `Bearer ${m.token.token}` }));
}

/**
 * Tops every member up by `amount` points, through the ledger. As the app does (POST
 * /members/me/points), each member's `credit` event is published with their row locked and
 * before the commit: a gateway that already loaded their points bound raises it, instead of
 * refusing bids they can now pay (409 INSUFFICIENT_POINTS). A failed publish rolls back.
 */
export async function chargeAll(
  sql: Sql,
  events: { readonly redis: RedisClient; readonly layout: KeyLayout },
  ids: readonly string[],
  amount: number,
): Promise<void> {
  await sql.begin(async (tx) => {
    const updated = await tx<{ id: string }[]>`
      update members set points = points + ${amount} where id = any(${[...ids]}::uuid[]) returning id`;
    await publishCredits(
      events,
      updated.map((row) => row.id),
      amount,
    );
    await tx`
      insert into points_ledger (kind, to_member, amount)
      select 'charge', id, ${amount}::int8 from unnest(${[...ids]}::uuid[]) as t(id)`;
  });
}

async function publishCredits(
  { redis, layout }: { readonly redis: RedisClient; readonly layout: KeyLayout },
  memberIds: readonly string[],
  amount: number,
): Promise<void> {
  const channel = eventsChannel(layout);
  const pipeline = redis.pipeline();
  for (const memberId of memberIds) pipeline.publish(channel, encodeEvent({ type: 'credit', memberId, amount }));
  const replies = (await pipeline.exec()) ?? [];
  const failed = replies.find(([error]) => error !== null);
  if (failed !== undefined || replies.length !== memberIds.length) {
    throw new Error(`publishing credit events failed: ${String(failed?.[0] ?? 'missing replies')}`);
  }
}

export interface AuctionShape {
  readonly stock: number;
  readonly perBuyerLimit: number;
  /** Default: now - 1 s (running at once). */
  readonly startsAt?: number;
  readonly durationSeconds?: number;
}

/**
 * Auctions written directly, priced 100 dropping 1 a minute: running from startsAt for an
 * hour. Auction i is sold by sellerIds[i % length] (one seller per auction, as in a real
 * market, or every settlement would also queue on one seller's row).
 */
export async function createAuctions(
  client: DbClient,
  sellerIds: readonly string[],
  count: number,
  shape: AuctionShape,
  title: string,
): Promise<SeededAuction[]> {
  const startsAt = shape.startsAt ?? Date.now() - 1_000;
  const draft: AuctionDraft = {
    title,
    description: 'benchmark',
    startPrice: 100,
    floorPrice: null,
    priceDrop: { kind: 'constant', amount: 1 },
    dropIntervalSeconds: 60,
    startsAt,
    endsAt: startsAt + (shape.durationSeconds ?? 3600) * 1000,
    stock: shape.stock,
    perBuyerLimit: shape.perBuyerLimit,
    showStock: true,
    pricing: 'pay_as_bid',
  };
  const values = Array.from({ length: count }, (_, i) =>
    auctionValues(uuidv4(), sellerIds[i % sellerIds.length] as string, draft),
  );
  const rows = await client.db.insert(auctions).values(values).returning();
  return rows.map((row) => ({ id: row.id, terms: termsOf(row as AuctionTermsRow) }));
}
