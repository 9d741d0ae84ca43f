/** What the English verification is given: everything read back after a phase, and what the client was told. */
import type { EnglishLead, EnglishTerms } from '@dutch/domain';
import type { ReceiptRow } from '@dutch/testkit/receipts';
import type { AnsweredReceipt, QueueState, TransportState } from './verify-input.ts';

export interface EnglishFacts {
  readonly id: string;
  /** As created: `endsAt` is the SCHEDULED end (Postgres keeps only the current one, in `lead`). */
  readonly terms: EnglishTerms;
  /** As Postgres holds it at the end of the phase: `endsAt` is the current end. */
  readonly lead: EnglishLead;
  readonly closedAt: number | null;
  readonly winnerId: string | null;
  readonly finalPrice: number | null;
}

/** One points_ledger row that names a receipt. */
export interface LedgerRow {
  readonly kind: string;
  readonly from: string | null;
  readonly to: string;
  readonly amount: number;
  readonly receiptId: string;
}

export interface Balance {
  readonly points: number;
  readonly held: number;
}

/** A bid refused at once (409, no receipt), with what it offered and when. */
export interface RefusedEnglishBid {
  readonly code: string;
  readonly buyerId: string;
  readonly amount: number;
  /** Epoch ms: before the gateway stamped the bid, and after it answered. */
  readonly sentAt: number;
  readonly answeredAt: number;
}

export interface EnglishInput {
  readonly auction: EnglishFacts;
  readonly receipts: readonly ReceiptRow[];
  readonly answers: readonly AnsweredReceipt[];
  readonly ledger: readonly LedgerRow[];
  /** Free points of every buyer and the seller before the phase; nobody held any. */
  readonly startPoints: ReadonlyMap<string, number>;
  readonly final: ReadonlyMap<string, Balance>;
  /** Over all members: sum of points + held, and of charges. */
  readonly totals: { readonly pointsAndHeld: number; readonly charged: number };
  readonly refusals: readonly RefusedEnglishBid[];
  /** Receipts settled whose answer the client never read: at most one in flight per connection per run. */
  readonly unansweredAllowance: number;
  /** null for the synchronous design, which has no queue. */
  readonly queue: QueueState | null;
  readonly audit: readonly string[];
  readonly transport: TransportState;
}
