import type { EnglishAuctionView } from '@dutch/contract';
import { type auctions, englishTermsOf } from '@dutch/db';
import { englishStatusAt, minNextBid, reserveMet } from '@dutch/domain';

type AuctionRow = typeof auctions.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * An English auction at `now`. `endsAt` is the current end (the row keeps it, extensions
 * included). The reserve price goes to the seller only; everyone sees whether it is met.
 */
export function englishAuctionView(row: AuctionRow, now: number, viewerId: string | null): EnglishAuctionView {
  const terms = englishTermsOf(row);
  const { highBid } = row;
  return {
    id: row.id,
    sellerId: row.sellerId,
    title: row.title,
    description: row.description,
    format: 'english',
    startsAt: iso(terms.startsAt),
    endsAt: iso(row.endsAt),
    status: englishStatusAt(terms, row.endsAt, now),
    closedAt: row.closedAt === null ? null : iso(row.closedAt),
    startPrice: terms.startPrice,
    minIncrement: terms.minIncrement,
    extendSeconds: terms.extendSeconds,
    highBid,
    bidCount: row.bidCount,
    minNextBid: minNextBid(terms, highBid),
    currentPrice: highBid ?? terms.startPrice,
    reserveMet: reserveMet(terms, highBid),
    ...(viewerId !== null && viewerId === row.sellerId ? { reservePrice: terms.reservePrice } : {}),
    winnerId: row.winnerId,
    finalPrice: row.finalPrice,
    createdAt: iso(row.createdAt),
    serverTime: iso(now),
  };
}
