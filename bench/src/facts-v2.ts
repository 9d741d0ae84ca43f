/**
 * What the English and uniform verifications read back from Postgres: the auction's lead and
 * close, the ledger rows of its receipts, balances with held points, and the global sums.
 */
import { epochMs, type Sql } from '@dutch/db';
import type { EnglishLead, EnglishTerms } from '@dutch/domain';
import { receiptsOf } from '@dutch/testkit/receipts';
import type { Balance, EnglishFacts, LedgerRow } from './verify-english-input.ts';
import type { UniformFacts, UniformReceipt } from './verify-uniform.ts';

interface EnglishRow extends EnglishLead {
  readonly closedAt: number | null;
  readonly winnerId: string | null;
  readonly finalPrice: number | null;
}

/** The auction as Postgres holds it now, with the terms it was created with (the scheduled end). */
export async function englishFacts(sql: Sql, id: string, created: EnglishTerms): Promise<EnglishFacts> {
  const [row] = await sql<EnglishRow[]>`
    select high_bid as "highBid", leader_id as "leaderId", leading_receipt_id as "leadingReceiptId",
           bid_count as "bidCount", ${sql.unsafe(epochMs('ends_at'))} as "endsAt",
           ${sql.unsafe(epochMs('closed_at'))} as "closedAt", winner_id as "winnerId", final_price as "finalPrice"
    from auctions where id = ${id}`;
  if (row === undefined) throw new Error(`auction ${id} not found`);
  const { closedAt, winnerId, finalPrice, ...lead } = row;
  return { id, terms: created, lead, closedAt, winnerId, finalPrice };
}

/** When the auction was closed (epoch ms), or null while it is open. */
export async function closedAtOf(sql: Sql, id: string): Promise<number | null> {
  const [row] = await sql<{ closedAt: number | null }[]>`
    select ${sql.unsafe(epochMs('closed_at'))} as "closedAt" from auctions where id = ${id}`;
  return row?.closedAt ?? null;
}

/** Every ledger row naming one of the auction's receipts. */
export async function ledgerOf(sql: Sql, auctionId: string): Promise<LedgerRow[]> {
  return sql<LedgerRow[]>`
    select l.kind, l.from_member as "from", l.to_member as "to", l.amount, l.receipt_id as "receiptId"
    from points_ledger l join receipts r on r.id = l.receipt_id
    where r.auction_id = ${auctionId}
    order by l.id`;
}

export async function balancesOf(sql: Sql, ids: readonly string[]): Promise<Map<string, Balance>> {
  const rows = await sql<{ id: string; points: number; held: number }[]>`
    select id, points, held_points as held from members where id = any(${[...ids]}::uuid[])`;
  return new Map(rows.map((r) => [r.id, { points: r.points, held: r.held }]));
}

/** Over every member: Σ(points + held) and Σ charges, which must be equal at all times. */
export async function pointTotals(sql: Sql): Promise<{ pointsAndHeld: number; charged: number }> {
  const [row] = await sql<{ pointsAndHeld: number; charged: number }[]>`
    select (select coalesce(sum(points + held_points), 0)::int8 from members) as "pointsAndHeld",
           (select coalesce(sum(amount), 0)::int8 from points_ledger where kind = 'charge') as charged`;
  return row ?? { pointsAndHeld: Number.NaN, charged: Number.NaN };
}

export async function uniformFacts(sql: Sql, id: string): Promise<UniformFacts> {
  const [row] = await sql<UniformFacts[]>`
    select a.id, a.seller_id as "sellerId", ${sql.unsafe(epochMs('a.closed_at'))} as "closedAt",
           a.clearing_price as "clearingPrice", m.held_points as "sellerHeld"
    from auctions a join members m on m.id = a.seller_id where a.id = ${id}`;
  if (row === undefined) throw new Error(`auction ${id} not found`);
  return row;
}

/** The auction's receipts in settlement order, with what the close wrote on each. */
export async function uniformReceiptsOf(sql: Sql, id: string): Promise<UniformReceipt[]> {
  const [receipts, closes] = await Promise.all([
    receiptsOf(sql, id),
    sql<{ id: string; rebate: number; finalUnitPrice: number | null }[]>`
      select id, rebate, final_unit_price as "finalUnitPrice" from receipts where auction_id = ${id}`,
  ]);
  const byId = new Map(closes.map((c) => [c.id, c]));
  return receipts.map((r) => ({
    ...r,
    rebate: byId.get(r.id)?.rebate ?? 0,
    finalUnitPrice: byId.get(r.id)?.finalUnitPrice ?? null,
  }));
}
