import {
  appendLedger,
  applyBalanceDeltas,
  findKeyedReceipts,
  findSettledReceiptIds,
  insertReceipts,
  lockMembers,
  saveAuction,
  sumHeldUnits,
  type Tx,
} from '@dutch/db';
import {
  type BidOutcome,
  type BidSettlement,
  closedStateOf,
  idempotencyScope,
  type KeyedBid,
  type KeyedReceipt,
  type LedgerMove,
  type NotificationDraft,
  notificationsOfBids,
  type QueuedBid,
  settleBids,
} from '@dutch/domain';
import { type DeliveredBid, unsettledOf } from './delivered.ts';
import type { OwnedDutchAuction } from './lock-owned-auction.ts';

/** What a run of bids (either format) settled, for the transaction that runs it. */
export interface RunResult<Outcome> {
  /** Newly settled outcomes, in stream order. */
  readonly outcomes: readonly Outcome[];
  /** Receipts that were already settled before (a redelivery): acknowledged, nothing applied. */
  readonly duplicates: number;
  /** acceptedAt of each newly settled bid, for the latency metric. */
  readonly acceptedAt: readonly number[];
  /** The ledger rows written (what the members gained is published from them). */
  readonly moves: readonly LedgerMove[];
  /** The buyers' notifications the run decided, stored in the same transaction. */
  readonly notifications: readonly NotificationDraft[];
}

export type BidRunResult = RunResult<BidOutcome>;

/**
 * Settles a run of bids for an auction already locked in `tx`: reads the buyers' points and
 * holdings, lets the domain decide every bid in stream order, then writes all results with
 * set-based statements. A receipt that is already in Postgres was settled by an earlier
 * delivery and is skipped, so a redelivered entry changes nothing. Receipts already keeping the
 * run's Idempotency-Keys are read in the same round trip, so the domain can refuse a retry that
 * Redis forgot.
 */
export async function settleBidRun(
  tx: Tx,
  auction: OwnedDutchAuction,
  run: readonly DeliveredBid[],
  settledAt: number,
): Promise<BidRunResult> {
  const ids = run.map((entry) => entry.message.receiptId);
  const buyers = [...new Set(run.map((entry) => entry.message.buyerId))];
  // With no stock left no bid can be served, whatever the balances: after a sell-out (most of a
  // burst) skip locking the buyers and reading their holdings. The domain still decides each bid.
  const closed = closedStateOf(auction.terms, auction.closedAt);
  const canSell = auction.stock > 0 && !auction.withdrawn && closed === null;
  const [seen, points, held, keyedReceipts] = await Promise.all([
    findSettledReceiptIds(tx, ids),
    canSell ? lockMembers(tx, [...buyers, auction.terms.sellerId]) : new Map<string, number>(),
    canSell ? sumHeldUnits(tx, auction.id, buyers) : new Map<string, number>(),
    findRunKeyedReceipts(tx, run),
  ]);

  const fresh = unsettledOf(run, seen);
  const duplicates = run.length - fresh.length;
  if (fresh.length === 0) return { outcomes: [], duplicates, acceptedAt: [], moves: [], notifications: [] };

  const bids: QueuedBid[] = fresh.map(({ message }) => message);
  const settlement = settleBids(
    auction.terms,
    { stock: auction.stock, points, held, withdrawn: auction.withdrawn, closed, keyedReceipts },
    bids,
  );

  const firstSeq = auction.settledCount + 1;
  auction.stock = settlement.stockAfter;
  auction.settledCount += settlement.outcomes.length;

  await writeBidRun(tx, auction, fresh, settlement, firstSeq, settledAt);
  const acceptedAt = fresh.map((e) => e.message.acceptedAt);
  const notifications = notificationsOfBids(auction, settlement.outcomes);
  return { outcomes: settlement.outcomes, duplicates, acceptedAt, moves: settlement.moves, notifications };
}

/** Writes a run's receipts, the auction's stock and count, and the purchases' points, all at once. */
function writeBidRun(
  tx: Tx,
  auction: OwnedDutchAuction,
  fresh: readonly DeliveredBid[],
  settlement: BidSettlement,
  firstSeq: number,
  settledAt: number,
): Promise<unknown[]> {
  const { sellerId } = auction.terms;
  const receipts = settlement.outcomes.map((x, i) => {
    const entry = fresh[i] as DeliveredBid;
    return {
      id: x.receiptId,
      buyerId: x.buyerId,
      quantity: x.quantity,
      unitPrice: x.unitPrice,
      total: x.total,
      status: x.status,
      failureReason: x.status === 'FAILED' ? x.reason : null,
      acceptedAt: entry.message.acceptedAt,
      streamId: entry.streamId,
      idempotencyKey: x.idempotencyKey ?? null,
      duplicateOf: x.status === 'FAILED' ? (x.duplicateOf ?? null) : null,
    };
  });
  const writes: Promise<unknown>[] = [
    insertReceipts(tx, { auctionId: auction.id, sellerId, firstSeq, settledAt }, receipts),
    saveAuction(tx, auction),
  ];
  // Purchases, and under uniform pricing the seller's hold of the takings (released at the close).
  if (settlement.moves.length > 0) {
    writes.push(appendLedger(tx, settlement.moves));
    writes.push(applyBalanceDeltas(tx, { points: settlement.pointDeltas, held: settlement.heldDeltas }));
  }
  return Promise.all(writes);
}

/** The latest settled receipt keeping each of the run's Idempotency-Keys, by buyer and key (either format). */
export async function findRunKeyedReceipts(
  tx: Tx,
  run: readonly { readonly message: KeyedBid }[],
): Promise<Map<string, KeyedReceipt>> {
  const keyed = run.flatMap(({ message }) =>
    message.idempotency === undefined ? [] : [{ buyerId: message.buyerId, key: message.idempotency.key }],
  );
  const rows = await findKeyedReceipts(tx, keyed);
  return new Map(rows.map((row) => [idempotencyScope(row.buyerId, row.key), row]));
}
