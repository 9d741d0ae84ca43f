import { AUCTION_TERMS_COLUMNS, type AuctionTermsRow, auditLedger, type Sql, termsOf } from '@dutch/db';
import { FINAL_STATUSES, HELD_STATUSES, type QueuedBid, settleBids } from '@dutch/domain';
import {
  CONSUMER_GROUP,
  compareStreamIds,
  deadLetterKey,
  type KeyLayout,
  type RedisClient,
  streamKey,
} from '@dutch/stream';
import { expect } from 'vitest';
import { checkCharged, checkCloses } from './close-invariants.ts';
import type { AcceptedBid } from './load.ts';
import { checkNotifications } from './notification-invariants.ts';
import { countPendingReceipts } from './receipts.ts';

export interface InvariantInput {
  readonly sql: Sql;
  /** Every 202 the test collected (one per request; replays of a request count once). */
  readonly accepted: readonly AcceptedBid[];
  /** The auctions the test bid in. */
  readonly auctionIds: readonly string[];
  /** What the test charged in all: total points in the system must equal it. */
  readonly charged?: number;
  /**
   * Each member's charged points. With it, every auction's outcome is replayed with the domain's
   * settleBids in settlement order from these balances, and each receipt's status and reason must
   * equal the replay's: nothing failed for a reason the rules do not give (e.g. an outage).
   * Needs buyers who bid in one auction only.
   */
  readonly initialPoints?: ReadonlyMap<string, number>;
  /**
   * Every request was retried until it was answered: the receipts in Postgres for these auctions
   * must be exactly the 202s, no more (a bid queued without its client knowing is a duplicate in waiting).
   */
  readonly exact?: boolean;
  /** Receipts allowed to end FAILED with PROCESSING_FAILED (dead-lettered poison); none otherwise. */
  readonly deadLettered?: readonly string[];
  /**
   * Auctions that must be closed by now (their end and the grace are past, or they sold out):
   * each is, and no receipt of the test's auctions has any kind of move twice.
   */
  readonly closed?: readonly string[];
  /** Redis and the key layout: checks that nothing is left pending or dead-lettered. */
  readonly redis?: { readonly client: RedisClient; readonly layout: KeyLayout; readonly deadLetters?: number };
}

export interface InvariantReport {
  /** 202s collected. */
  readonly accepted: number;
  /** Of those, receipts final in Postgres. */
  readonly settled: number;
  /** 202s without a receipt row: must be 0. */
  readonly lost: number;
  /** Receipts issued twice (one receipt for two requests) or settled twice (two purchase moves): must be 0. */
  readonly duplicates: number;
  readonly purchased: number;
  readonly failed: Readonly<Record<string, number>>;
  readonly unitsSold: number;
  readonly problems: readonly string[];
}

interface ReceiptRow {
  id: string;
  auctionId: string;
  buyerId: string;
  quantity: number;
  unitPrice: number;
  status: string;
  failureReason: string | null;
  acceptedAt: number;
  settleSeq: number;
  streamId: string;
}

/** Checks the engine's promises after a drill and returns the figures; see assertInvariants. */
export async function checkInvariants(input: InvariantInput): Promise<InvariantReport> {
  const { sql } = input;
  const problems: string[] = [...(await auditLedger(sql))];
  const auctionIds = [...input.auctionIds];

  const receipts = await sql<ReceiptRow[]>`
    select id, auction_id as "auctionId", buyer_id as "buyerId", quantity, unit_price as "unitPrice", status,
           failure_reason as "failureReason", (extract(epoch from accepted_at) * 1000)::int8 as "acceptedAt",
           settle_seq as "settleSeq", stream_id as "streamId"
    from receipts where auction_id = any(${auctionIds}::uuid[])
    order by auction_id, settle_seq`;
  const byId = new Map(receipts.map((r) => [r.id, r]));

  // Every 202 is settled, final, and is the bid the client was told about.
  let lost = 0;
  let settled = 0;
  for (const bid of input.accepted) {
    const row = byId.get(bid.receiptId);
    if (row === undefined) {
      lost++;
      if (lost <= 10) problems.push(`receipt ${bid.receiptId} was answered 202 but is not in Postgres (lost)`);
      continue;
    }
    if (!(FINAL_STATUSES as readonly string[]).includes(row.status)) {
      problems.push(`receipt ${row.id} is ${row.status}, not final`);
      continue;
    }
    settled++;
    const told = [bid.auctionId, bid.buyerId, bid.quantity, bid.unitPrice, bid.acceptedAt];
    const stored = [row.auctionId, row.buyerId, row.quantity, row.unitPrice, row.acceptedAt];
    if (JSON.stringify(told) !== JSON.stringify(stored)) {
      problems.push(`receipt ${row.id}: the 202 said ${JSON.stringify(told)}, Postgres has ${JSON.stringify(stored)}`);
    }
  }

  // One receipt per request, and one purchase move per receipt.
  const requestsPerReceipt = new Map<string, Set<string>>();
  for (const bid of input.accepted) {
    const keys = requestsPerReceipt.get(bid.receiptId) ?? new Set<string>();
    keys.add(bid.idempotencyKey);
    requestsPerReceipt.set(bid.receiptId, keys);
  }
  let duplicates = [...requestsPerReceipt.values()].filter((keys) => keys.size > 1).length;
  const [twice] = await sql<{ n: number }[]>`
    select count(*)::int as n from (
      select receipt_id from points_ledger where kind = 'purchase' group by receipt_id having count(*) > 1) d`;
  duplicates += twice?.n ?? 0;
  if (input.exact) {
    const extra = receipts.filter((r) => !requestsPerReceipt.has(r.id));
    duplicates += extra.length;
    if (extra.length > 0) {
      problems.push(`${extra.length} receipts in Postgres that no client was answered with, e.g. ${extra[0]?.id}`);
    }
  }
  if (duplicates > 0) problems.push(`${duplicates} receipts issued or settled twice`);

  // Dead-lettered receipts only where the test planted poison.
  const allowed = new Set(input.deadLettered ?? []);
  for (const row of receipts) {
    if (row.failureReason === 'PROCESSING_FAILED' && !allowed.has(row.id)) {
      problems.push(`receipt ${row.id} FAILED with PROCESSING_FAILED (given up on)`);
    }
  }

  // Stock: sold = initial - stock, within [0, initial]; settlement order: 1, 2, 3... with no gaps.
  const auctions = await sql<(AuctionTermsRow & { id: string; stock: number; settledCount: number })[]>`
    select id, ${sql.unsafe(AUCTION_TERMS_COLUMNS)}, stock, settled_count as "settledCount"
    from auctions where id = any(${auctionIds}::uuid[])`;
  let unitsSold = 0;
  for (const auction of auctions) {
    const own = receipts.filter((r) => r.auctionId === auction.id);
    const sold = own
      .filter((r) => (HELD_STATUSES as readonly string[]).includes(r.status))
      .reduce((sum, r) => sum + r.quantity, 0);
    unitsSold += sold;
    if (auction.stock < 0 || sold > auction.initialStock || sold !== auction.initialStock - auction.stock) {
      problems.push(`auction ${auction.id}: sold ${sold}, stock ${auction.stock} of ${auction.initialStock}`);
    }
    const seqs = own.map((r) => r.settleSeq);
    if (seqs.some((seq, i) => seq !== i + 1) || auction.settledCount !== own.length) {
      problems.push(
        `auction ${auction.id}: settle_seq is not 1..${own.length} (settled_count ${auction.settledCount})`,
      );
    }
    // A receipt whose entry vanished from the stream (stream id 'lost') has no place in stream order.
    const ordered = own.filter((r) => r.streamId !== 'lost');
    for (let i = 1; i < ordered.length; i++) {
      const [a, b] = [ordered[i - 1] as ReceiptRow, ordered[i] as ReceiptRow];
      if (compareStreamIds(a.streamId, b.streamId) >= 0) {
        problems.push(`auction ${auction.id}: #${b.settleSeq} (${b.streamId}) settled after ${a.streamId}`);
        break;
      }
    }
  }

  if (input.charged !== undefined) problems.push(...(await checkCharged(sql, input.charged)));
  if (input.closed !== undefined) problems.push(...(await checkCloses(sql, auctionIds, input.closed)));
  problems.push(...(await checkNotifications(sql, auctionIds)));

  if (input.initialPoints !== undefined) problems.push(...replay(auctions, receipts, input.initialPoints, allowed));

  if (input.redis !== undefined) problems.push(...(await redisLeftovers(input.redis, input.accepted)));

  const failed: Record<string, number> = {};
  for (const row of receipts) {
    if (row.status === 'FAILED') failed[row.failureReason ?? '?'] = (failed[row.failureReason ?? '?'] ?? 0) + 1;
  }
  return {
    accepted: input.accepted.length,
    settled,
    lost,
    duplicates,
    purchased: receipts.filter((r) => r.status === 'PURCHASED').length,
    failed,
    unitsSold,
    problems,
  };
}

/**
 * The shared end of every fault drill: every receipt the gateway issued is final in Postgres;
 * sold = initial - stock, never more than initial; no negative stock or points; each member's
 * points = the sum of their ledger rows; total points = total charged; no receipt settled twice;
 * settlement order per auction = stream order (plus auditLedger's own checks); every decided
 * receipt, rebate and close told exactly once (checkNotifications).
 */
export async function assertInvariants(input: InvariantInput): Promise<InvariantReport> {
  const report = await checkInvariants(input);
  expect(report.problems).toEqual([]);
  expect(report.lost).toBe(0);
  expect(report.duplicates).toBe(0);
  expect(report.settled).toBe(input.accepted.length);
  return report;
}

function replay(
  auctions: readonly (AuctionTermsRow & { id: string })[],
  receipts: readonly ReceiptRow[],
  initialPoints: ReadonlyMap<string, number>,
  deadLettered: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const auctionsOf = new Map<string, Set<string>>();
  for (const r of receipts) auctionsOf.set(r.buyerId, (auctionsOf.get(r.buyerId) ?? new Set()).add(r.auctionId));
  if ([...auctionsOf.values()].some((set) => set.size > 1)) return ['replay needs buyers who bid in one auction only'];
  for (const auction of auctions) {
    // English outcomes hang on the moving end and lead: auditLedger holds them to their rules.
    if (auction.format !== 'dutch') continue;
    const terms = termsOf(auction);
    const own = receipts.filter((r) => r.auctionId === auction.id && !deadLettered.has(r.id));
    const bids: QueuedBid[] = own.map((r) => ({
      receiptId: r.id,
      buyerId: r.buyerId,
      quantity: r.quantity,
      unitPrice: r.unitPrice,
      acceptedAt: r.acceptedAt,
    }));
    const points = new Map<string, number>();
    for (const r of own) points.set(r.buyerId, initialPoints.get(r.buyerId) ?? 0);
    const expected = settleBids(terms, { stock: terms.initialStock, points, held: new Map() }, bids).outcomes;
    for (let i = 0; i < own.length; i++) {
      const row = own[i] as ReceiptRow;
      const outcome = expected[i];
      const want = outcome?.status === 'FAILED' ? `FAILED ${outcome.reason}` : outcome?.status;
      const got = row.status === 'FAILED' ? `FAILED ${row.failureReason}` : row.status;
      if (want !== got) {
        problems.push(
          `receipt ${row.id} (#${row.settleSeq} of auction ${auction.id}) is ${got}; the rules say ${want}`,
        );
        break;
      }
    }
  }
  return problems;
}

async function redisLeftovers(
  redis: NonNullable<InvariantInput['redis']>,
  accepted: readonly AcceptedBid[],
): Promise<string[]> {
  const problems: string[] = [];
  const { client, layout } = redis;
  let deadLetters = 0;
  for (let shard = 0; shard < layout.shards; shard++) {
    const key = streamKey(layout, shard);
    if ((await client.exists(key)) === 1) {
      const groups = (await client.xinfo('GROUPS', key)) as unknown[];
      if (groups.length > 0) {
        const [pending] = (await client.xpending(key, CONSUMER_GROUP)) as [number];
        if (Number(pending) > 0) problems.push(`shard ${shard}: ${pending} entries still pending`);
      }
    }
    deadLetters += await client.xlen(deadLetterKey(layout, shard));
  }
  if (deadLetters !== (redis.deadLetters ?? 0)) {
    problems.push(`${deadLetters} entries dead-lettered, expected ${redis.deadLetters ?? 0}`);
  }
  const left = await countPendingReceipts(client, layout, accepted);
  if (left > 0) problems.push(`${left} settled receipts still have a pending copy in Redis`);
  return problems;
}
