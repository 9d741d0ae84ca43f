/** What the verification is given, and what each of its checks reports. */
import type { AuctionTerms } from '@dutch/domain';
import type { BidMessage } from '@dutch/stream';
import type { ReceiptRow } from '@dutch/testkit/receipts';
import type { RefusedBid } from './refusals.ts';

export interface AuctionFacts {
  readonly id: string;
  readonly terms: AuctionTerms;
  /** Stock in Postgres at the end. The auction started the run with terms.initialStock. */
  readonly stock: number;
}

/** A receipt as the client saw it in a 2xx (or, from the synchronous design, a 409) answer. */
/** The bid's own fields, as the stream carries them. */
type AnsweredFields = 'receiptId' | 'auctionId' | 'buyerId' | 'quantity' | 'unitPrice' | 'acceptedAt';

export interface AnsweredReceipt extends Pick<BidMessage, AnsweredFields> {
  /** PENDING from the gateway's 202; the final status from the synchronous design (LEADING: English). */
  readonly status: 'PENDING' | 'PURCHASED' | 'FAILED' | 'LEADING';
  readonly reason?: string | null;
}

export interface QueueState {
  /** Pending-receipt keys still in Redis (a 202'd receipt not yet in Postgres). */
  readonly pendingReceiptKeys: number;
  /** Entries in the streams never delivered to the consumer group (XINFO GROUPS lag). */
  readonly lag: number;
  /** Entries delivered but not acknowledged (XPENDING). */
  readonly pending: number;
}

export interface TransportState {
  readonly transportErrors: number;
  readonly timeouts: number;
  readonly status5xx: number;
  /** Statuses the scenario does not expect (e.g. 400, 401, 429), with counts. */
  readonly unexpected: Readonly<Record<string, number>>;
}

export interface OutcomeInput {
  readonly auctions: readonly AuctionFacts[];
  readonly receipts: readonly ReceiptRow[];
  readonly answers: readonly AnsweredReceipt[];
  /** Bids the gateway refused at once, 409 INSUFFICIENT_POINTS (no receipt). */
  readonly refusals: readonly RefusedBid[];
  /** Every touched member's points before the phase (buyers and sellers). */
  readonly startPoints: ReadonlyMap<string, number>;
  readonly finalPoints: ReadonlyMap<string, number>;
  /** Uniform pricing: the rebate each receipt got at the close (moved from the seller back to the buyer). */
  readonly rebates?: ReadonlyMap<string, number>;
  /** Receipts settled whose answer the client never read: at most one in flight per connection per run. */
  readonly unansweredAllowance: number;
  /** null for the synchronous design, which has no queue. */
  readonly queue: QueueState | null;
  /** auditLedger()'s problems, scoped to the phase's auctions. */
  readonly audit: readonly string[];
  readonly transport: TransportState;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}
