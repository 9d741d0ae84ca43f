/**
 * The steps an English phase ends with: wait for the close, read everything back from Postgres
 * and Redis, and run the English checks (verify-english.ts).
 */
import { auditLedger } from '@dutch/db';
import type { EnglishTerms } from '@dutch/domain';
import { receiptsOf } from '@dutch/testkit/receipts';
import type { Bench } from './context.ts';
import { answeredReceipts, queueState } from './facts.ts';
import { balancesOf, closedAtOf, englishFacts, ledgerOf, pointTotals } from './facts-v2.ts';
import type { LoadResult } from './load.ts';
import { transportOf } from './phases.ts';
import type { Buyer } from './seed.ts';
import type { Check, ReceiptRow } from './verify.ts';
import { verifyEnglish } from './verify-english.ts';
import type { EnglishFacts, RefusedEnglishBid } from './verify-english-input.ts';
import type { EnglishReplay } from './verify-english-replay.ts';

export interface EnglishPhase {
  readonly auction: { readonly id: string; readonly terms: EnglishTerms };
  readonly runs: readonly LoadResult[];
  /** The buyers the runs bid as (load answers name them by index). */
  readonly buyers: readonly Buyer[];
  /** Free points of the buyers and the seller before the phase. */
  readonly startPoints: ReadonlyMap<string, number>;
  /** false for the synchronous design (no queue to drain). */
  readonly queued: boolean;
  /** Statuses and codes the phase expects (see unexpectedAnswers). */
  readonly expected: readonly string[];
}

export interface VerifiedEnglish {
  readonly checks: readonly Check[];
  readonly receipts: readonly ReceiptRow[];
  readonly facts: EnglishFacts;
  readonly replay: EnglishReplay;
  readonly refusals: readonly RefusedEnglishBid[];
}

/** Polls until the auction is closed (closed_at set); null if it is still open after timeoutMs. */
export async function waitUntilClosed(bench: Bench, auctionId: string, timeoutMs = 60_000): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const closedAt = await closedAtOf(bench.client.sql, auctionId);
    if (closedAt !== null) return closedAt;
    if (Date.now() > deadline) {
      bench.log(`warning: auction ${auctionId} still not closed after ${timeoutMs} ms`);
      return null;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function verifyEnglishPhase(bench: Bench, phase: EnglishPhase): Promise<VerifiedEnglish> {
  const { sql } = bench.client;
  const { id, terms } = phase.auction;
  const ids = phase.buyers.map((b) => b.id);
  const answers = answeredReceipts(
    phase.runs.flatMap((r) => r.answers),
    ids,
  );
  const [receipts, facts, ledger, audit, totals] = await Promise.all([
    receiptsOf(sql, id),
    englishFacts(sql, id, terms),
    ledgerOf(sql, id),
    auditLedger(sql, { auctionIds: [id] }),
    pointTotals(sql),
  ]);
  const final = await balancesOf(sql, [...phase.startPoints.keys()]);
  const queue = phase.queued ? await queueState(bench.redis, bench.layout, answers) : null;
  const refusals: RefusedEnglishBid[] = phase.runs.flatMap((r) =>
    r.refusals.map((x) => ({
      code: x.code,
      buyerId: ids[x.buyer] as string,
      amount: x.amount ?? Number.NaN,
      sentAt: x.sentAt,
      answeredAt: x.answeredAt,
    })),
  );
  const { checks, replay } = verifyEnglish({
    auction: facts,
    receipts,
    answers,
    ledger,
    startPoints: phase.startPoints,
    final,
    totals,
    refusals,
    unansweredAllowance: phase.runs.reduce((n, r) => n + r.connections, 0),
    queue,
    audit,
    transport: transportOf(phase.runs, phase.expected),
  });
  return { checks, receipts, facts, replay, refusals };
}
