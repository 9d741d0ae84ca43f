import { type BidAuctionRow, formatTermsOf } from '@dutch/db';
import type { AuctionTerms, EnglishTerms, StockVisibility } from '@dutch/domain';
import type { ClosedEvent } from '@dutch/stream';

interface CachedBase {
  readonly id: string;
  /** Epoch ms once the auction closed (the close settled), else null. */
  closedAt: number | null;
  loadedAt: number;
}

/** What the bid path needs to know about a Dutch auction, kept in memory. */
export interface CachedDutch extends CachedBase {
  readonly format: 'dutch';
  /** With showStock, so admission (admitBid) keeps a hidden stock hidden. */
  readonly terms: AuctionTerms & StockVisibility;
  readonly showStock: boolean;
  /** The last stock this gateway heard of; during an auction only ever too high, never too low. */
  stock: number;
}

/**
 * An English auction's lead as this gateway knows it. It can only lag the truth: the high bid
 * never falls and the end never moves earlier, so it is merged monotonically, whatever order
 * events and reloads arrive in.
 */
export interface CachedLead {
  highBid: number | null;
  bidCount: number;
  leaderId: string | null;
  /** The current end, extensions included. */
  endsAt: number;
}

export interface CachedEnglish extends CachedBase {
  readonly format: 'english';
  readonly terms: EnglishTerms;
  readonly lead: CachedLead;
}

export type CachedAuction = CachedDutch | CachedEnglish;

/** A cache entry from an auction row, in its format. */
export function entryOf(row: BidAuctionRow, loadedAt: number): CachedAuction {
  const found = formatTermsOf(row);
  const base = { id: row.id, closedAt: row.closedAt, loadedAt };
  if (found.format === 'dutch') {
    const terms = { ...found.terms, showStock: row.showStock };
    return { ...base, format: 'dutch', terms, showStock: row.showStock, stock: row.stock };
  }
  const { highBid, bidCount, leaderId, endsAt } = found.lead;
  return { ...base, format: 'english', terms: found.terms, lead: { highBid, bidCount, leaderId, endsAt } };
}

/** Takes what `lead` adds to `into`: a higher bid (with its leader and count), a later end. */
export function mergeLead(into: CachedLead, lead: Readonly<CachedLead>): void {
  if (lead.highBid !== null && (into.highBid === null || lead.highBid > into.highBid)) {
    into.highBid = lead.highBid;
    into.leaderId = lead.leaderId;
  }
  into.bidCount = Math.max(into.bidCount, lead.bidCount);
  into.endsAt = Math.max(into.endsAt, lead.endsAt);
}

/** A fresh entry keeps what an older one already knew (a reload read before an event can land after it). */
export function keepKnown(fresh: CachedAuction, known: CachedAuction | undefined): CachedAuction {
  if (known === undefined || known.format !== fresh.format) return fresh;
  fresh.closedAt ??= known.closedAt;
  if (fresh.format === 'english' && known.format === 'english') mergeLead(fresh.lead, known.lead);
  return fresh;
}

/** The end the auction runs to as far as this gateway knows (English: the current end). */
export function knownEndOf(entry: CachedAuction): number {
  return entry.format === 'english' ? entry.lead.endsAt : entry.terms.endsAt;
}

export function applyClosed(entry: CachedAuction, event: ClosedEvent): void {
  entry.closedAt ??= event.closedAt;
  if (entry.format === 'english' && event.finalPrice !== null) {
    mergeLead(entry.lead, { highBid: event.finalPrice, bidCount: 0, leaderId: event.winnerId, endsAt: 0 });
  }
}
