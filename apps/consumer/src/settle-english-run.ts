import {
  appendLedger,
  applyBalanceDeltas,
  findSettledReceiptIds,
  insertReceipts,
  lockMembers,
  markOutbid,
  type NewReceipt,
  saveEnglishLead,
  type Tx,
} from '@dutch/db';
import {
  balanceDeltasOf,
  type EnglishBidOutcome,
  type EnglishSettlement,
  notificationsOfEnglishBids,
  type QueuedEnglishBid,
  settleEnglishBids,
} from '@dutch/domain';
import { type DeliveredEnglishBid, unsettledOf } from './delivered.ts';
import type { OwnedEnglishAuction } from './lock-owned-auction.ts';
import { findRunKeyedReceipts, type RunResult } from './settle-bid-run.ts';

export type EnglishRunResult = RunResult<EnglishBidOutcome>;

/**
 * Settles a run of English bids for an auction already locked in `tx`: locks, in one statement,
 * every buyer of the run and the leader before it (whose hold a new lead releases), lets the
 * domain decide each bid in stream order against the lead, then writes receipts, the previous
 * leader's OUTBID, the hold/release rows, both balances and the new lead with set-based
 * statements. A receipt already in Postgres was settled by an earlier delivery and is skipped.
 */
export async function settleEnglishRun(
  tx: Tx,
  auction: OwnedEnglishAuction,
  run: readonly DeliveredEnglishBid[],
  settledAt: number,
): Promise<EnglishRunResult> {
  const ids = run.map((entry) => entry.message.receiptId);
  const open = !auction.withdrawn && auction.closedAt === null;
  const { leaderId } = auction.lead;
  const members = [...run.map((entry) => entry.message.buyerId), ...(leaderId === null ? [] : [leaderId])];
  // Closed or withdrawn: every bid fails whatever the balances, so no member is locked.
  const [seen, points, keyedReceipts] = await Promise.all([
    findSettledReceiptIds(tx, ids),
    open ? lockMembers(tx, members) : new Map<string, number>(),
    findRunKeyedReceipts(tx, run),
  ]);
  const fresh = unsettledOf(run, seen);
  const duplicates = run.length - fresh.length;
  if (fresh.length === 0) return { outcomes: [], duplicates, acceptedAt: [], moves: [], notifications: [] };

  const bids: QueuedEnglishBid[] = fresh.map(({ message }) => message);
  const state = { lead: auction.lead, points, withdrawn: auction.withdrawn, closed: !open, keyedReceipts };
  const settlement = settleEnglishBids(auction.terms, state, bids);

  const firstSeq = auction.settledCount + 1;
  auction.lead = settlement.lead;
  auction.settledCount += settlement.outcomes.length;
  await writeEnglishRun(tx, auction, fresh, settlement, firstSeq, settledAt);
  const acceptedAt = fresh.map((e) => e.message.acceptedAt);
  const notifications = notificationsOfEnglishBids(auction, settlement);
  return { outcomes: settlement.outcomes, duplicates, acceptedAt, moves: settlement.moves, notifications };
}

/** One round of statements: receipts first (the ledger rows name them), then the rest. */
async function writeEnglishRun(
  tx: Tx,
  auction: OwnedEnglishAuction,
  fresh: readonly DeliveredEnglishBid[],
  settlement: EnglishSettlement,
  firstSeq: number,
  settledAt: number,
): Promise<void> {
  const receipts = settlement.outcomes.map((x, i) => receiptOf(x, fresh[i] as DeliveredEnglishBid));
  const batch = { auctionId: auction.id, sellerId: auction.terms.sellerId, firstSeq, settledAt };
  const writes: Promise<unknown>[] = [
    insertReceipts(tx, batch, receipts),
    markOutbid(
      tx,
      settlement.outbid.map((x) => x.receiptId),
    ),
    saveEnglishLead(tx, auction),
  ];
  if (settlement.moves.length > 0) {
    writes.push(appendLedger(tx, settlement.moves));
    writes.push(applyBalanceDeltas(tx, balanceDeltasOf(settlement.moves)));
  }
  await Promise.all(writes);
}

/** An English receipt row: one lot, so quantity 1 and unitPrice = total = the amount bid. */
function receiptOf(outcome: EnglishBidOutcome, entry: DeliveredEnglishBid): NewReceipt {
  return {
    id: outcome.receiptId,
    buyerId: outcome.buyerId,
    format: 'english',
    quantity: 1,
    unitPrice: outcome.amount,
    total: outcome.amount,
    status: outcome.status,
    failureReason: outcome.status === 'FAILED' ? outcome.reason : null,
    acceptedAt: entry.message.acceptedAt,
    streamId: entry.streamId,
    idempotencyKey: outcome.idempotencyKey ?? null,
    duplicateOf: outcome.status === 'FAILED' ? (outcome.duplicateOf ?? null) : null,
  };
}
