import {
  appendLedger,
  applyBalanceDeltas,
  closeAuctionRow,
  findPurchasedReceipts,
  lockMembers,
  type Tx,
  updateClosedReceipts,
} from '@dutch/db';
import {
  balanceDeltasOf,
  type CloseInput,
  type ClosePlan,
  closeAuction,
  closesNow,
  type LedgerMove,
  type NotificationDraft,
  notificationsOfClose,
} from '@dutch/domain';
import type { DeliveredClose } from './delivered.ts';
import type { OwnedAuction } from './lock-owned-auction.ts';

/**
 * What became of one close entry: `closed` the auction; `duplicate`, it was closed already (a
 * redelivery, or a second entry for the same end); `premature`, its end has moved since it was
 * appended (an English soft close): the closer appends another for the new end.
 */
export type CloseOutcome = 'closed' | 'duplicate' | 'premature';

export interface CloseRunResult {
  readonly outcomes: readonly CloseOutcome[];
  /** The close this run settled, if one did. */
  readonly closed: { readonly plan: ClosePlan; readonly closedAt: number } | null;
  /** The release, rebate and purchase rows written. */
  readonly moves: readonly LedgerMove[];
  /** WON / RESERVE_NOT_MET, rebates and the seller's sold, stored in the same transaction. */
  readonly notifications: readonly NotificationDraft[];
}

/**
 * Settles a run of close entries for an auction locked in `tx`. The row lock makes the
 * closed_at check and the close one step: however many entries and consumers, one close.
 * Everything before the entry in the stream is settled by now, so every bid accepted before
 * the end has its receipt.
 */
export async function settleCloseRun(
  tx: Tx,
  auction: OwnedAuction,
  run: readonly DeliveredClose[],
  settledAt: number,
): Promise<CloseRunResult> {
  const outcomes: CloseOutcome[] = [];
  let closed: CloseRunResult['closed'] = null;
  let notifications: readonly NotificationDraft[] = [];
  for (const { message } of run) {
    if (auction.closedAt !== null) {
      outcomes.push('duplicate');
      continue;
    }
    if (!closesNow(closingOf(auction), message.closeFor)) {
      outcomes.push('premature');
      continue;
    }
    const decided = await closeLocked(tx, auction, settledAt);
    closed = { plan: decided.plan, closedAt: settledAt };
    notifications = decided.notifications;
    outcomes.push('closed');
  }
  return { outcomes, closed, moves: closed?.plan.moves ?? [], notifications };
}

/** The current end: an English auction's moves with soft closes. */
function closingOf(auction: OwnedAuction) {
  const endsAt = auction.format === 'english' ? auction.lead.endsAt : auction.terms.endsAt;
  return { format: auction.format, stock: auction.stock, endsAt };
}

/**
 * Decides the close (domain), then writes receipts, ledger, balances and the auction row; its
 * notifications come from the same plan and input, stored by the caller in this transaction.
 */
async function closeLocked(
  tx: Tx,
  auction: OwnedAuction,
  closedAt: number,
): Promise<{ plan: ClosePlan; notifications: NotificationDraft[] }> {
  const input = await closeInputOf(tx, auction);
  const plan = closeAuction(input, closedAt);
  if (plan.moves.length > 0) {
    // In id order before the balances move, as every settlement does: no deadlock between them.
    await lockMembers(tx, membersOf(plan.moves));
  }
  const writes: Promise<unknown>[] = [updateClosedReceipts(tx, plan.receipts)];
  if (plan.moves.length > 0) {
    writes.push(appendLedger(tx, plan.moves));
    writes.push(applyBalanceDeltas(tx, balanceDeltasOf(plan.moves)));
  }
  const { clearingPrice, winnerId, finalPrice } = plan;
  const row = closeAuctionRow(tx, { id: auction.id, closedAt, clearingPrice, winnerId, finalPrice });
  const [wasOpen] = await Promise.all([row, ...writes]);
  // Cannot happen under the row lock; if it did, rolling back beats writing a second close.
  if (!wasOpen) throw new Error(`auction ${auction.id} was closed under our lock by someone else`);
  auction.closedAt = closedAt;
  const notified = { id: auction.id, title: auction.title, sellerId: auction.terms.sellerId };
  return { plan, notifications: notificationsOfClose(notified, plan, input) };
}

/** Everyone a close's moves touch (the seller, the winner, the rebated buyers). */
function membersOf(moves: readonly LedgerMove[]): string[] {
  return moves.flatMap((m) => (m.from === null ? [m.to] : [m.to, m.from]));
}

/**
 * A Dutch close reads the purchases: a uniform one prices and rebates them, and either pricing
 * tells its seller (the sold notification) how many units sold for how many points.
 */
async function closeInputOf(tx: Tx, auction: OwnedAuction): Promise<CloseInput> {
  if (auction.format === 'english') return { format: 'english', terms: auction.terms, lead: auction.lead };
  const purchases = await findPurchasedReceipts(tx, auction.id);
  return { format: 'dutch', terms: auction.terms, stock: auction.stock, purchases };
}
