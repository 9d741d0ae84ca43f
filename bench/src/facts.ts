/**
 * What verification reads back after a phase: the receipts, auctions and balances in
 * Postgres, auditLedger()'s findings, and what is left in Redis.
 */
import { AUCTION_TERMS_COLUMNS, type AuctionTermsRow, epochMs, type Sql, termsOf } from '@dutch/db';
import { allStreamKeys, type KeyLayout, pendingReceiptsKey, type RedisClient } from '@dutch/stream';
import { groupInfo } from '@dutch/consumer/stream-io';
import type { Answer } from './load.ts';
import type { AnsweredReceipt, AuctionFacts, QueueState, ReceiptRow } from './verify.ts';

export async function receiptsOf(sql: Sql, auctionIds: readonly string[]): Promise<ReceiptRow[]> {
  return sql<ReceiptRow[]>`
    select id, auction_id as "auctionId", buyer_id as "buyerId", seller_id as "sellerId", quantity,
           unit_price as "unitPrice", total, status, failure_reason as "failureReason",
           ${sql.unsafe(epochMs('accepted_at'))} as "acceptedAt", ${sql.unsafe(epochMs('settled_at'))} as "settledAt",
           stream_id as "streamId", settle_seq as "settleSeq"
    from receipts where auction_id = any(${[...auctionIds]}::uuid[])`;
}

export async function auctionFacts(sql: Sql, auctionIds: readonly string[]): Promise<AuctionFacts[]> {
  const rows = await sql<(AuctionTermsRow & { id: string; stock: number })[]>`
    select id, ${sql.unsafe(AUCTION_TERMS_COLUMNS)}, stock from auctions where id = any(${[...auctionIds]}::uuid[])`;
  return rows.map((row) => ({ id: row.id, terms: termsOf(row), stock: row.stock }));
}

export async function countReceipts(sql: Sql, auctionIds: readonly string[]): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int8 as n from receipts where auction_id = any(${[...auctionIds]}::uuid[])`;
  return row?.n ?? 0;
}

/** Sum of XINFO GROUPS lag and pending over the shards' streams. */
export async function queueDepth(redis: RedisClient, layout: KeyLayout): Promise<{ lag: number; pending: number }> {
  let lag = 0;
  let pending = 0;
  for (const key of allStreamKeys(layout)) {
    try {
      const info = await groupInfo(redis, key);
      lag += info?.lag ?? 0;
      pending += info?.pending ?? 0;
    } catch (error) {
      if (!(error instanceof Error && error.message.includes('no such key'))) throw error;
    }
  }
  return { lag, pending };
}

/** Pending-receipt keys left for the given receipts (each key checked with EXISTS, pipelined). */
export async function pendingReceiptsLeft(
  redis: RedisClient,
  layout: KeyLayout,
  receipts: readonly { receiptId: string; auctionId: string }[],
  shardOf: (auctionId: string) => number,
): Promise<number> {
  let left = 0;
  for (let i = 0; i < receipts.length; i += 5_000) {
    const pipeline = redis.pipeline();
    for (const r of receipts.slice(i, i + 5_000)) {
      pipeline.hexists(pendingReceiptsKey(layout, shardOf(r.auctionId)), r.receiptId);
    }
    for (const [error, exists] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      left += Number(exists);
    }
  }
  return left;
}

export async function queueState(
  redis: RedisClient,
  layout: KeyLayout,
  answers: readonly AnsweredReceipt[],
  shardOf: (auctionId: string) => number,
): Promise<QueueState> {
  const depth = await queueDepth(redis, layout);
  const pendingReceiptKeys = await pendingReceiptsLeft(redis, layout, answers, shardOf);
  return { pendingReceiptKeys, ...depth };
}

/** Parses the answers the load generator kept into receipts as the client was told them. */
export function answeredReceipts(answers: readonly Answer[], buyerIds: readonly string[]): AnsweredReceipt[] {
  return answers.map((a) => {
    const body = JSON.parse(a.body) as {
      receiptId: string;
      status: 'PENDING' | 'PURCHASED' | 'FAILED';
      acceptedAt: string;
      unitPrice: number;
      error?: { code: string };
    };
    return {
      receiptId: body.receiptId,
      auctionId: a.auctionId,
      buyerId: buyerIds[a.buyer] as string,
      quantity: a.quantity,
      unitPrice: body.unitPrice,
      acceptedAt: Date.parse(body.acceptedAt),
      status: body.status,
      reason: body.status === 'FAILED' ? (body.error?.code ?? null) : null,
    };
  });
}
