import type { EnglishAuctionView } from '@dutch/contract';
import { type EnglishStatus, englishStatusAt, type Millis, minNextBid } from '@dutch/domain';
import type { BidEvent, ClosedEvent, ExtendedEvent, StatusEvent } from '../api/types.ts';

/** How an English auction closed, once it has. */
export interface EnglishClose {
  readonly closedAt: Millis;
  readonly winnerId: string | null;
  readonly finalPrice: number | null;
}

/** What the page knows about one English auction: the last snapshot, amended by the live events since. */
export interface LiveEnglish {
  readonly view: EnglishAuctionView;
  readonly startsAt: Millis;
  /** The current end, extensions included. */
  readonly endsAt: Millis;
  readonly highBid: number | null;
  readonly bidCount: number;
  readonly minNextBid: number;
  readonly reserveMet: boolean;
  readonly close: EnglishClose | null;
  /** How many times the end moved while this page watched: the countdown says so. */
  readonly extensions: number;
}

export type EnglishEvent =
  | { readonly type: 'snapshot'; readonly data: EnglishAuctionView }
  | { readonly type: 'bid'; readonly data: BidEvent }
  | { readonly type: 'extended'; readonly data: ExtendedEvent }
  | { readonly type: 'status'; readonly data: StatusEvent }
  | { readonly type: 'closed'; readonly data: ClosedEvent };

export const ENGLISH_EVENTS: readonly EnglishEvent['type'][] = ['snapshot', 'bid', 'extended', 'status', 'closed'];

export function englishFromView(view: EnglishAuctionView): LiveEnglish {
  return {
    view,
    startsAt: Date.parse(view.startsAt),
    endsAt: Date.parse(view.endsAt),
    highBid: view.highBid,
    bidCount: view.bidCount,
    minNextBid: view.minNextBid,
    reserveMet: view.reserveMet,
    close: closeOf(view),
    extensions: 0,
  };
}

function closeOf(view: EnglishAuctionView): EnglishClose | null {
  if (view.closedAt === null) return null;
  return { closedAt: Date.parse(view.closedAt), winnerId: view.winnerId, finalPrice: view.finalPrice };
}

/**
 * Events can overtake a snapshot (a reconnect's snapshot is read before a bid it already
 * contains is published), so the lead merges monotonically, as the gateways' caches do: the high
 * bid never falls and the end never moves earlier.
 */
export function applyEnglishEvent(state: LiveEnglish, event: EnglishEvent): LiveEnglish {
  switch (event.type) {
    case 'snapshot': {
      const fresh = englishFromView(event.data);
      return { ...mergeLead(fresh, state), extensions: state.extensions };
    }
    case 'bid':
      return mergeLead(state, {
        highBid: event.data.highBid,
        bidCount: event.data.bidCount,
        endsAt: Date.parse(event.data.endsAt),
      });
    case 'extended':
      return mergeLead(state, { endsAt: Date.parse(event.data.endsAt) });
    case 'status':
      return state;
    case 'closed':
      return applyClosed(state, event.data);
  }
}

type LeadPart = Partial<Pick<LiveEnglish, 'highBid' | 'bidCount' | 'endsAt'>>;

function mergeLead(state: LiveEnglish, next: LeadPart): LiveEnglish {
  const highBid = higher(state.highBid, next.highBid ?? null);
  const raised = highBid !== state.highBid;
  const endsAt = Number.isFinite(next.endsAt) ? Math.max(state.endsAt, next.endsAt ?? 0) : state.endsAt;
  return {
    ...state,
    highBid,
    bidCount: Math.max(state.bidCount, next.bidCount ?? 0),
    minNextBid: raised ? minNextBid(state.view, highBid) : state.minNextBid,
    // Only the seller knows the reserve; a raise can meet it but the page cannot tell, so it keeps the last word.
    reserveMet: state.reserveMet || (raised && reserveMetBySeller(state, highBid)),
    endsAt,
    extensions: state.extensions + (endsAt > state.endsAt ? 1 : 0),
  };
}

function reserveMetBySeller(state: LiveEnglish, highBid: number | null): boolean {
  const reserve = state.view.reservePrice;
  if (reserve === undefined || highBid === null) return false;
  return reserve === null || highBid >= reserve;
}

function higher(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function applyClosed(state: LiveEnglish, data: ClosedEvent): LiveEnglish {
  const close: EnglishClose = {
    closedAt: Date.parse(data.closedAt),
    winnerId: data.winnerId ?? null,
    finalPrice: data.finalPrice ?? null,
  };
  // A sale proves the reserve was met; the final price is the high bid that won.
  const sold = close.winnerId !== null && close.finalPrice !== null;
  return {
    ...state,
    close,
    highBid: sold ? higher(state.highBid, close.finalPrice) : state.highBid,
    reserveMet: state.reserveMet || sold,
  };
}

/** The status by the clock and the current end; a close ends it whatever the clock says. */
export function englishStatusOf(state: LiveEnglish, now: Millis): EnglishStatus {
  if (state.close !== null) return 'ended';
  return englishStatusAt({ startsAt: state.startsAt }, state.endsAt, now);
}

/** The instant the countdown counts to: the start, then the current end. */
export function englishNextChangeAt(state: LiveEnglish, now: Millis): Millis | null {
  const status = englishStatusOf(state, now);
  if (status === 'scheduled') return state.startsAt;
  if (status === 'running') return state.endsAt;
  return null;
}

/**
 * The earliest the server's clock can read when it sends `event`, or null if it proves nothing.
 * Only `running` proves anything: an `ended` can be followed by an extension (a bid accepted just
 * before the end settles after it), and `closed` carries the consumer's clock, not the gateway's.
 */
export function englishServerTimeBound(state: LiveEnglish, event: EnglishEvent): Millis | null {
  if (event.type === 'status' && event.data.status === 'running') return state.startsAt;
  return null;
}
