import type { AuctionStatus, Millis } from '@dutch/domain';
import { type ListedAuction, listedEndsAt, listedPrice, listedStartsAt, listedStatus } from './listed-auction.ts';

export type AuctionGroup = 'live' | 'upcoming' | 'ended';

const GROUP_OF: Record<AuctionStatus, AuctionGroup> = {
  running: 'live',
  sold_out: 'live',
  scheduled: 'upcoming',
  ended: 'ended',
};

/**
 * Auctions by what a buyer can do now, decided by the clock rather than by the status at the
 * time of the list request, so a card moves to "Live" the second its auction starts.
 * Live ones cheapest first (an English one at its minimum next bid), upcoming soonest first,
 * ended latest first.
 */
export function groupAuctions(auctions: readonly ListedAuction[], now: Millis): Record<AuctionGroup, ListedAuction[]> {
  const groups: Record<AuctionGroup, ListedAuction[]> = { live: [], upcoming: [], ended: [] };
  for (const auction of auctions) groups[GROUP_OF[listedStatus(auction, now)]].push(auction);
  groups.live.sort((a, b) => listedPrice(a, now) - listedPrice(b, now));
  groups.upcoming.sort((a, b) => listedStartsAt(a) - listedStartsAt(b));
  groups.ended.sort((a, b) => listedEndsAt(b) - listedEndsAt(a));
  return groups;
}
