import { type Fence, findAuctionTitle, type LockedAuction, lockAuction, type Tx } from '@dutch/db';
import { FencedOutError } from './fenced-out-error.ts';

export type { LockedAuction, Tx };

/** What a settlement's notifications say of the auction, besides what the lock reads. */
interface Titled {
  readonly title: string;
}

/** A locked auction with its title: the runs build their notifications' words from it. */
export type OwnedAuction = LockedAuction & Titled;
export type OwnedDutchAuction = Extract<LockedAuction, { format: 'dutch' }> & Titled;
export type OwnedEnglishAuction = Extract<LockedAuction, { format: 'english' }> & Titled;

/**
 * Locks the auction's row for the transaction, and refuses (FencedOutError) to go on when this
 * consumer's fence no longer holds the shard: its transaction must not commit. Null for an
 * auction that does not exist. The title is read in the same round trip, behind the lock.
 */
export async function lockOwnedAuction(tx: Tx, auctionId: string, fence: Fence | null): Promise<OwnedAuction | null> {
  const [locked, title] = await Promise.all([lockAuction(tx, auctionId, fence), findAuctionTitle(tx, auctionId)]);
  if (locked === null) return null;
  if (!locked.fenced && fence !== null) throw new FencedOutError(fence.shard);
  return Object.assign(locked.auction, { title: title ?? '' });
}
