/**
 * What verification reads back after a phase: the receipts, auctions and balances in
 * Postgres, auditLedger()'s findings, and what is left in Redis.
 */
import { groupInfo } from '@dutch/consumer/stream-io';
import { AUCTION_TERMS_COLUMNS, type AuctionTermsRow, type Sql, termsOf } from '@dutch/db';
import { allStreamKeys, type KeyLayout, type RedisClient } from '@dutch/stream';
import { countPendingReceipts } from '@dutch/testkit/receipts';
import type { Answer } from './load.ts';
import type { AnsweredReceipt, AuctionFacts, QueueState } from './verify.ts';

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

export async function queueState(
  redis: RedisClient,
  layout: KeyLayout,
  answers: readonly AnsweredReceipt[],
): Promise<QueueState> {
  const depth = await queueDepth(redis, layout);
  const pendingReceiptKeys = await countPendingReceipts(redis, layout, answers);
  return { pendingReceiptKeys, ...depth };
}

/**
 * Parses the answers the load generator kept into receipts as the client was told them. An
 * English answer says `amount`: its receipt is one lot at that price (quantity 1, unitPrice amount).
 */
export function answeredReceipts(answers: readonly Answer[], buyerIds: readonly string[]): AnsweredReceipt[] {
  return answers.map((a) => {
    const body = JSON.parse(a.body) as {
      receiptId: string;
      status: AnsweredReceipt['status'];
      acceptedAt: string;
      unitPrice?: number;
      amount?: number;
      error?: { code: string };
    };
    return {
      receiptId: body.receiptId,
      auctionId: a.auctionId,
      buyerId: buyerIds[a.buyer] as string,
      quantity: a.quantity,
      unitPrice: body.unitPrice ?? body.amount ?? Number.NaN,
      acceptedAt: Date.parse(body.acceptedAt),
      status: body.status,
      reason: body.status === 'FAILED' ? (body.error?.code ?? null) : null,
    };
  });
}
