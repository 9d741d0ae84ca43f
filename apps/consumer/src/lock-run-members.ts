import { findPurchasedReceipts, type LockedAuction, lockMembers, type Tx } from '@dutch/db';
import type { Run } from './delivered.ts';

/**
 * Locks, in one statement and so in id order, every member the transaction's runs may move,
 * before the first run. Each run locks the members it reads, in id order too, but two runs in
 * one transaction (bids, then the close, say) would take theirs in two steps: a transaction
 * holding a buyer and then asking for the seller deadlocks with one holding the seller and asking
 * for that buyer. With the union locked first, the runs' own locks are already held. A single
 * run is left to lock its own (one round trip fewer on the hot path).
 */
export async function lockRunMembers(tx: Tx, auction: LockedAuction, runs: readonly Run[]): Promise<void> {
  if (runs.length < 2) return;
  const members = new Set<string>([auction.terms.sellerId]);
  if (auction.format === 'english' && auction.lead.leaderId !== null) members.add(auction.lead.leaderId);
  for (const run of runs) {
    for (const { message } of run.entries) if ('buyerId' in message) members.add(message.buyerId);
  }
  if (closesUniformly(auction, runs)) {
    for (const purchase of await findPurchasedReceipts(tx, auction.id)) members.add(purchase.buyerId);
  }
  await lockMembers(tx, [...members]);
}

/** A uniform close rebates every buyer with a purchase, bought in this transaction or before. */
function closesUniformly(auction: LockedAuction, runs: readonly Run[]): boolean {
  if (auction.format !== 'dutch' || auction.terms.pricing !== 'uniform' || auction.closedAt !== null) return false;
  return runs.some((run) => run.kind === 'close');
}
