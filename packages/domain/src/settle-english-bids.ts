import type { Millis } from './auction.ts';
import { type EnglishLead, type EnglishTerms, minNextBid } from './english.ts';
import type { FailureReason } from './errors.ts';
import { claimIdempotencyKey, type KeyedBid, type KeyedReceipt } from './idempotency.ts';
import type { LedgerMove } from './ledger.ts';

/** An English bid the gateway admitted and queued; settlement decides it. */
export interface QueuedEnglishBid extends KeyedBid {
  readonly amount: number;
}

/** What English settlement needs to know, read under the auction's lock. */
export interface EnglishLedgerState {
  readonly lead: EnglishLead;
  /** Free points of each buyer in the run and of the previous leader. Missing means 0. */
  readonly points: ReadonlyMap<string, number>;
  /** The seller deleted the auction: no bid can lead, whatever a stale cache admitted. */
  readonly withdrawn?: boolean;
  /** The auction's close has been settled: nothing but refunds settles after it. */
  readonly closed?: boolean;
  /** As for Dutch: the settled receipt keeping each Idempotency-Key the bids carry, by idempotencyScope(). */
  readonly keyedReceipts?: ReadonlyMap<string, KeyedReceipt>;
}

interface EnglishOutcomeBase {
  readonly receiptId: string;
  readonly buyerId: string;
  readonly amount: number;
  /** The Idempotency-Key this receipt keeps: set on the first receipt for a key, never on its retries. */
  readonly idempotencyKey?: string;
}

export type EnglishBidOutcome =
  /** OUTBID: it led, then a later bid of the same run outbid it. */
  | (EnglishOutcomeBase & { readonly status: 'LEADING' | 'OUTBID' })
  | (EnglishOutcomeBase & {
      readonly status: 'FAILED';
      readonly reason: FailureReason;
      /** DUPLICATE_REQUEST: the first receipt made for the same buyer and Idempotency-Key. */
      readonly duplicateOf?: string;
    });

/** A receipt settled in an earlier run that this run outbid. */
export interface OutbidReceipt {
  readonly receiptId: string;
  readonly buyerId: string;
  readonly amount: number;
}

export interface EnglishSettlement {
  /** One outcome per bid, in the order given (stream order). */
  readonly outcomes: readonly EnglishBidOutcome[];
  /** Receipts settled in EARLIER runs that are now OUTBID (at most one: the lead before the run). */
  readonly outbid: readonly OutbidReceipt[];
  /** The lead after the run. */
  readonly lead: EnglishLead;
  /** Hold and release rows, in order: each new lead releases the previous leader, then holds its amount. */
  readonly moves: readonly LedgerMove[];
  /** The new current end if the run extended it, else null. */
  readonly extendedTo: Millis | null;
}

/**
 * Settles English bids for one auction in stream order. A bid leads when it reaches the minimum
 * next bid at its turn and its buyer can cover it; its amount is then held, and the previous
 * leader's hold goes back. A leader raising their own bid needs only the difference free, since
 * their old hold is released in the same step. The high bid never falls, so a bid that failed
 * BID_TOO_LOW could never have led later in the run either.
 */
export function settleEnglishBids(
  terms: EnglishTerms,
  state: EnglishLedgerState,
  bids: readonly QueuedEnglishBid[],
): EnglishSettlement {
  const points = new Map(state.points);
  const keyed = new Map(state.keyedReceipts);
  const outcomes: EnglishBidOutcome[] = [];
  const moves: LedgerMove[] = [];
  const outbid: OutbidReceipt[] = [];
  /** Where the current lead's outcome sits in `outcomes`, when it was settled in this run. */
  let leadIndex: number | null = null;
  let lead = state.lead;

  for (const bid of bids) {
    const base: EnglishOutcomeBase = { receiptId: bid.receiptId, buyerId: bid.buyerId, amount: bid.amount };
    const duplicateOf = claimIdempotencyKey(bid, keyed);
    if (duplicateOf !== null) {
      outcomes.push({ ...base, status: 'FAILED', reason: 'DUPLICATE_REQUEST', duplicateOf });
      continue;
    }
    const decided = bid.idempotency === undefined ? base : { ...base, idempotencyKey: bid.idempotency.key };
    const reason = refusalFor(terms, state, lead, points, bid);
    if (reason !== null) {
      outcomes.push({ ...decided, status: 'FAILED', reason });
      continue;
    }
    if (lead.leaderId !== null && lead.highBid !== null && lead.leadingReceiptId !== null) {
      const previous = { receiptId: lead.leadingReceiptId, buyerId: lead.leaderId, amount: lead.highBid };
      moves.push(releaseOf(previous));
      points.set(previous.buyerId, (points.get(previous.buyerId) ?? 0) + previous.amount);
      const settledHere = leadIndex === null ? undefined : outcomes[leadIndex];
      if (leadIndex !== null && settledHere !== undefined) outcomes[leadIndex] = { ...settledHere, status: 'OUTBID' };
      else outbid.push(previous);
    }
    moves.push({ kind: 'hold', from: bid.buyerId, to: bid.buyerId, amount: bid.amount, receiptId: bid.receiptId });
    points.set(bid.buyerId, (points.get(bid.buyerId) ?? 0) - bid.amount);
    lead = nextLead(terms, lead, bid);
    leadIndex = outcomes.length;
    outcomes.push({ ...decided, status: 'LEADING' });
  }
  const extendedTo = lead.endsAt === state.lead.endsAt ? null : lead.endsAt;
  return { outcomes, outbid, lead, moves, extendedTo };
}

/** The release row that gives a leader's hold back. */
export function releaseOf(receipt: OutbidReceipt): LedgerMove {
  return {
    kind: 'release',
    from: receipt.buyerId,
    to: receipt.buyerId,
    amount: receipt.amount,
    receiptId: receipt.receiptId,
  };
}

function refusalFor(
  terms: EnglishTerms,
  state: EnglishLedgerState,
  lead: EnglishLead,
  points: ReadonlyMap<string, number>,
  bid: QueuedEnglishBid,
): FailureReason | null {
  if (state.withdrawn === true || state.closed === true) return 'AUCTION_NOT_RUNNING';
  // The current end, not the scheduled one: a bid the soft close let in is on time.
  if (bid.acceptedAt < terms.startsAt || bid.acceptedAt >= lead.endsAt) return 'AUCTION_NOT_RUNNING';
  if (bid.amount < minNextBid(terms, lead.highBid)) return 'BID_TOO_LOW';
  const ownHold = bid.buyerId === lead.leaderId && lead.highBid !== null ? lead.highBid : 0;
  if ((points.get(bid.buyerId) ?? 0) + ownHold < bid.amount) return 'INSUFFICIENT_POINTS';
  return null;
}

/** The lead once `bid` leads: soft close moves the end when the bid came within extendSeconds of it. */
function nextLead(terms: EnglishTerms, lead: EnglishLead, bid: QueuedEnglishBid): EnglishLead {
  const window = terms.extendSeconds * 1000;
  const extends_ = window > 0 && bid.acceptedAt >= lead.endsAt - window;
  return {
    highBid: bid.amount,
    leaderId: bid.buyerId,
    leadingReceiptId: bid.receiptId,
    bidCount: lead.bidCount + 1,
    endsAt: extends_ ? Math.max(lead.endsAt, bid.acceptedAt + window) : lead.endsAt,
  };
}
