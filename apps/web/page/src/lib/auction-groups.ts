import type { AuctionStatus, Millis } from '@dutch/domain';
import { type LiveAuction, momentAt } from './live-auction.ts';

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
 * Live ones cheapest first, upcoming soonest first, ended latest first.
 */
export function groupAuctions(auctions: readonly LiveAuction[], now: Millis): Record<AuctionGroup, LiveAuction[]> {
  const groups: Record<AuctionGroup, LiveAuction[]> = { live: [], upcoming: [], ended: [] };
  for (const auction of auctions) groups[GROUP_OF[momentAt(auction, now).status]].push(auction);
  groups.live.sort((a, b) => momentAt(a, now).currentPrice - momentAt(b, now).currentPrice);
  groups.upcoming.sort((a, b) => a.schedule.startsAt - b.schedule.startsAt);
  groups.ended.sort((a, b) => b.schedule.endsAt - a.schedule.endsAt);
  return groups;
}
