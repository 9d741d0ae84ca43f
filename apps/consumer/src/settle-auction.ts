import type { Sql } from '@dutch/db';
import { type BidOutcome, creditsOf, type RefundOutcome } from '@dutch/domain';
import type { CreditEvent } from '@dutch/stream';
import { type Delivered, runsByKind } from './delivered.ts';
import { lockOwnedAuction } from './lock-owned-auction.ts';
import { settleBidRun } from './settle-bid-run.ts';
import { settleRefundRun } from './settle-refund-run.ts';
import type { Fence } from './shard-locks.ts';

export interface AuctionSettlement {
  readonly auctionId: string;
  /** False when the auction does not exist: nothing can be settled against it. */
  readonly found: boolean;
  readonly stock: number;
  readonly initialStock: number;
  readonly stockChanged: boolean;
  readonly bidOutcomes: readonly BidOutcome[];
  readonly refundOutcomes: readonly RefundOutcome[];
  readonly duplicates: number;
  readonly acceptedAt: readonly number[];
}

/** Publishes a credit on the events channel (and resolves once Redis has it). */
export type PublishCredit = (event: CreditEvent) => Promise<void>;

/**
 * Settles one auction's entries from a batch in ONE transaction, under the auction's row
 * lock: bids and refunds in stream order. Nothing is acknowledged here; the caller XACKs
 * only after this commits.
 *
 * Points gained (sellers by purchases, buyers by refunds) are published BEFORE the commit,
 * while their rows are locked, so a gateway's upper bound of them never misses a credit
 * (apps/gateway/src/auth/points-bounds.ts). A publish that fails rolls the settlement back.
 */
export async function settleAuction(
  sql: Sql,
  auctionId: string,
  entries: readonly Delivered[],
  fence: Fence | null,
  settledAt: number,
  /** Null only where no gateway can be listening (tests of settlement alone). */
  publishCredit: PublishCredit | null,
): Promise<AuctionSettlement> {
  return sql.begin(async (tx) => {
    const auction = await lockOwnedAuction(tx, auctionId, fence);
    if (auction === null) {
      return {
        auctionId,
        found: false,
        stock: 0,
        initialStock: 0,
        stockChanged: false,
        bidOutcomes: [],
        refundOutcomes: [],
        duplicates: 0,
        acceptedAt: [],
      };
    }
    const stockBefore = auction.stock;
    const bidOutcomes: BidOutcome[] = [];
    const refundOutcomes: RefundOutcome[] = [];
    const acceptedAt: number[] = [];
    let duplicates = 0;
    for (const run of runsByKind(entries)) {
      const first = run[0];
      if (first === undefined) continue;
      if (first.message.kind === 'bid') {
        const result = await settleBidRun(tx, auction, run as Parameters<typeof settleBidRun>[2], settledAt);
        bidOutcomes.push(...result.outcomes);
        acceptedAt.push(...result.acceptedAt);
        duplicates += result.duplicates;
      } else {
        const result = await settleRefundRun(tx, auction, run as Parameters<typeof settleRefundRun>[2], settledAt);
        refundOutcomes.push(...result.outcomes);
        duplicates += result.duplicates;
      }
    }
    if (publishCredit !== null) {
      const credits = creditsOf(auction.terms.sellerId, bidOutcomes, refundOutcomes);
      await Promise.all([...credits].map(([memberId, amount]) => publishCredit({ type: 'credit', memberId, amount })));
    }
    return {
      auctionId,
      found: true,
      stock: auction.stock,
      initialStock: auction.terms.initialStock,
      stockChanged: auction.stock !== stockBefore,
      bidOutcomes,
      refundOutcomes,
      duplicates,
      acceptedAt,
    };
  });
}
