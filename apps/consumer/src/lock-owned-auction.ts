import { type Fence, type LockedAuction, lockAuction, type Tx } from '@dutch/db';
import { FencedOutError } from './fenced-out-error.ts';

export type { LockedAuction, Tx };

/** A locked auction (with its title: the runs build their notifications' words from it). */
export type OwnedAuction = LockedAuction;
export type OwnedDutchAuction = Extract<LockedAuction, { format: 'dutch' }>;
export type OwnedEnglishAuction = Extract<LockedAuction, { format: 'english' }>;

/**
 * Locks the auction's row for the transaction, and refuses (FencedOutError) to go on when this
 * consumer's fence no longer holds the shard: its transaction must not commit. Null for an
 * auction that does not exist.
 */
export async function lockOwnedAuction(tx: Tx, auctionId: string, fence: Fence | null): Promise<OwnedAuction | null> {
  const locked = await lockAuction(tx, auctionId, fence);
  if (locked === null) return null;
  if (!locked.fenced && fence !== null) throw new FencedOutError(fence.shard);
  return locked.auction;
}
