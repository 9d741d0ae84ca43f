import {
  auctionMomentAt,
  englishStatusAt,
  minNextBid,
  nextStatusChangeAt,
  priceViewAt,
  reserveMet,
} from '@dutch/domain';
import type { ClosedEvent } from '@dutch/stream';
import type { CachedAuction, CachedEnglish } from '../cache/auction-cache.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** The status by the clock, from what this gateway knows (an English auction's current end). */
export function feedStatusAt(auction: CachedAuction, now: number): string {
  return auction.format === 'english'
    ? englishStatusAt(auction.terms, auction.lead.endsAt, now)
    : auctionMomentAt(auction.terms, auction.stock, now).status;
}

/** A Dutch price step as "price@nextDropAt" (a new step is a new price event); English: none. */
export function priceStepAt(auction: CachedAuction, now: number): string {
  if (auction.format === 'english') return '';
  const moment = auctionMomentAt(auction.terms, auction.stock, now);
  return `${moment.currentPrice}@${moment.nextDropAt}`;
}

export function priceEventAt(auction: CachedAuction, now: number) {
  if (auction.format === 'english') return null;
  const moment = auctionMomentAt(auction.terms, auction.stock, now);
  const nextDropAt = moment.nextDropAt === null ? null : iso(moment.nextDropAt);
  return {
    event: 'price' as const,
    data: { currentPrice: moment.currentPrice, nextPrice: moment.nextPrice, nextDropAt },
  };
}

/** The next instant the clock alone changes what viewers see (a drop, the start, the end), or null. */
export function nextChangeAt(auction: CachedAuction, now: number): number | null {
  if (auction.format === 'english') {
    return nextStatusChangeAt({ startsAt: auction.terms.startsAt, endsAt: auction.lead.endsAt }, now);
  }
  const candidates = [priceViewAt(auction.terms, now).nextDropAt, nextStatusChangeAt(auction.terms, now)];
  const times = candidates.filter((at): at is number => at !== null);
  return times.length === 0 ? null : Math.min(...times);
}

/** What an English feed has told its viewers of the lead. */
export interface AnnouncedLead {
  highBid: number | null;
  bidCount: number;
  endsAt: number;
}

export function announcedOf(auction: CachedAuction): AnnouncedLead | null {
  if (auction.format !== 'english') return null;
  const { highBid, bidCount, endsAt } = auction.lead;
  return { highBid, bidCount, endsAt };
}

/**
 * The `bid` and `extended` events for what the cached lead has beyond what was announced, and
 * the announcement updated. The reserve price never appears: only whether it is met.
 */
export function leadEvents(auction: CachedEnglish, announced: AnnouncedLead) {
  const { lead, terms } = auction;
  const events = [];
  if (lead.highBid !== announced.highBid || lead.bidCount !== announced.bidCount) {
    const data = {
      highBid: lead.highBid,
      bidCount: lead.bidCount,
      minNextBid: minNextBid(terms, lead.highBid),
      endsAt: iso(lead.endsAt),
      reserveMet: reserveMet(terms, lead.highBid),
    };
    events.push({ event: 'bid' as const, data });
  }
  if (lead.endsAt > announced.endsAt) events.push({ event: 'extended' as const, data: { endsAt: iso(lead.endsAt) } });
  Object.assign(announced, { highBid: lead.highBid, bidCount: lead.bidCount, endsAt: lead.endsAt });
  return events;
}

/** The `closed` event: the winner and final price of an English auction, the clearing price of a Dutch one. */
export function closedEventOf(auction: CachedAuction, event: ClosedEvent) {
  const base = { status: event.status, closedAt: iso(event.closedAt) };
  const data =
    auction.format === 'english'
      ? { ...base, winnerId: event.winnerId, finalPrice: event.finalPrice }
      : { ...base, clearingPrice: event.clearingPrice };
  return { event: 'closed' as const, data };
}
