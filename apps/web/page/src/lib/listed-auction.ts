import type { AuctionView } from '@dutch/contract';
import type { AuctionStatus, Millis } from '@dutch/domain';
import { nextChangeAt } from './auction-words.ts';
import { englishFromView, englishNextChangeAt, englishStatusOf, type LiveEnglish } from './english-auction.ts';
import { type LiveAuction, liveFromView, momentAt } from './live-auction.ts';

/** An auction of either format, as the list shows it: what a buyer can do now, and at what price. */
export type ListedAuction =
  | { readonly format: 'dutch'; readonly live: LiveAuction }
  | { readonly format: 'english'; readonly live: LiveEnglish };

export function listedFromView(view: AuctionView): ListedAuction {
  return view.format === 'english'
    ? { format: 'english', live: englishFromView(view) }
    : { format: 'dutch', live: liveFromView(view) };
}

export function listedId(auction: ListedAuction): string {
  return auction.live.view.id;
}

export function listedStatus(auction: ListedAuction, now: Millis): AuctionStatus {
  return auction.format === 'english' ? englishStatusOf(auction.live, now) : momentAt(auction.live, now).status;
}

/** The price a buyer would pay now: Dutch, the current step; English, the least a bid must offer. */
export function listedPrice(auction: ListedAuction, now: Millis): number {
  return auction.format === 'english' ? auction.live.minNextBid : momentAt(auction.live, now).currentPrice;
}

export function listedStartsAt(auction: ListedAuction): Millis {
  return auction.format === 'english' ? auction.live.startsAt : auction.live.schedule.startsAt;
}

/** The end as it stands now (an English end moves with late bids). */
export function listedEndsAt(auction: ListedAuction): Millis {
  return auction.format === 'english' ? auction.live.endsAt : auction.live.schedule.endsAt;
}

/** The next instant the card's countdown changes what it says, for aligning the ticks. */
export function listedNextChangeAt(auction: ListedAuction, now: Millis): Millis | null {
  return auction.format === 'english'
    ? englishNextChangeAt(auction.live, now)
    : nextChangeAt(auction.live.schedule, momentAt(auction.live, now));
}
