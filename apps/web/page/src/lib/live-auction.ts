import type { DutchAuctionView } from '@dutch/contract';
import {
  type AuctionMoment,
  intervalMs,
  type Millis,
  type PriceSchedule,
  priceViewAt,
  statusAt,
  stepCount,
  stepStartsAt,
} from '@dutch/domain';
import type { ClosedEvent, PriceEvent, StatusEvent, StockEvent } from '../api/types.ts';
import { scheduleOf } from './auction-schedule.ts';

/** What the page knows about one Dutch auction: the last snapshot, amended by the live events since. */
export interface LiveAuction {
  readonly view: DutchAuctionView;
  readonly schedule: PriceSchedule;
  /** null when the seller hides stock. */
  readonly stock: number | null;
  /** Stock may be hidden, so "sold out" is tracked on its own, from stock and status events. */
  readonly soldOut: boolean;
  /** Uniform pricing: the price everyone finally pays, once closed (null before, or when nothing sold). */
  readonly clearingPrice: number | null;
  readonly closedAt: Millis | null;
}

export type LiveEvent =
  | { readonly type: 'snapshot'; readonly data: DutchAuctionView }
  | { readonly type: 'stock'; readonly data: StockEvent }
  | { readonly type: 'status'; readonly data: StatusEvent }
  | { readonly type: 'price'; readonly data: PriceEvent }
  | { readonly type: 'closed'; readonly data: ClosedEvent };

export const DUTCH_EVENTS: readonly LiveEvent['type'][] = ['snapshot', 'stock', 'status', 'price', 'closed'];

export function liveFromView(view: DutchAuctionView): LiveAuction {
  const stock = view.stock ?? null;
  return {
    view,
    schedule: scheduleOf(view),
    stock,
    soldOut: view.status === 'sold_out' || stock === 0,
    clearingPrice: view.clearingPrice,
    closedAt: view.closedAt === null ? null : Date.parse(view.closedAt),
  };
}

export function applyLiveEvent(state: LiveAuction, event: LiveEvent): LiveAuction {
  switch (event.type) {
    case 'snapshot':
      return liveFromView(event.data);
    case 'stock':
      return { ...state, stock: event.data.stock, soldOut: event.data.stock === 0 };
    case 'status':
      if (event.data.status === 'sold_out') return { ...state, soldOut: true };
      if (event.data.status === 'running') return { ...state, soldOut: false };
      return state;
    case 'price':
      // The price is a function of the schedule and the clock; the event only moves the clock.
      return state;
    case 'closed':
      return {
        ...state,
        closedAt: Date.parse(event.data.closedAt),
        clearingPrice: event.data.clearingPrice ?? state.clearingPrice,
        soldOut: state.soldOut || event.data.status === 'sold_out',
      };
  }
}

/**
 * Status and price at `now`, computed by the same domain functions the server uses. Time decides
 * scheduled/running/ended; stock (or the server's word, when stock is hidden) decides sold out.
 */
export function momentAt(state: LiveAuction, now: Millis): AuctionMoment {
  return { status: statusAt(state.schedule, now, state.soldOut ? 0 : 1), ...priceViewAt(state.schedule, now) };
}

/**
 * The earliest the server's clock can read when it sends `event`, or null if the event proves
 * nothing. A price event is sent at a drop, so the server is at least at the start of the step
 * it announces; step 0 proves nothing, since the server also prices step 0 before the start.
 */
export function serverTimeLowerBound(state: LiveAuction, event: LiveEvent): Millis | null {
  const { schedule } = state;
  if (event.type === 'price') {
    const nextDrop = event.data.nextDropAt === null ? null : Date.parse(event.data.nextDropAt);
    const stepStart =
      nextDrop === null ? stepStartsAt(schedule, stepCount(schedule) - 1) : nextDrop - intervalMs(schedule);
    return stepStart > schedule.startsAt ? stepStart : null;
  }
  if (event.type === 'status') {
    if (event.data.status === 'ended') return schedule.endsAt;
    if (event.data.status === 'running' || event.data.status === 'sold_out') return schedule.startsAt;
  }
  return null;
}
