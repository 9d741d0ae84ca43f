import type { EnglishReceipt } from '@dutch/contract';
import type { ReceiptStatus } from '@dutch/domain';
import type { LiveEnglish } from './english-auction.ts';

/** Where the person looking at an English auction stands. */
export type ViewerOutcome =
  | { readonly kind: 'signed_out' }
  | { readonly kind: 'seller' }
  | { readonly kind: 'no_bid' }
  | { readonly kind: 'pending'; readonly amount: number }
  | { readonly kind: 'leading'; readonly amount: number }
  | { readonly kind: 'outbid'; readonly amount: number }
  | { readonly kind: 'won'; readonly amount: number }
  | { readonly kind: 'reserve_not_met'; readonly amount: number };

/** Statuses of a receipt that led at some point: a bid that counted. */
const LED: readonly ReceiptStatus[] = ['LEADING', 'OUTBID', 'WON', 'RESERVE_NOT_MET', 'REFUND_PENDING', 'REFUNDED'];

const WON: readonly ReceiptStatus[] = ['WON', 'REFUND_PENDING', 'REFUNDED'];

type Mine = Pick<EnglishReceipt, 'amount' | 'status'>;

function highest<T extends Mine>(receipts: readonly T[]): T | null {
  return receipts.reduce<T | null>((best, r) => (best === null || r.amount > best.amount ? r : best), null);
}

/**
 * The viewer's outcome from the lead the page knows and the viewer's own receipts in this
 * auction. The SSE feed never says who leads (bidders stay anonymous), so "leading" is the
 * viewer's own LEADING receipt at the current high bid; a higher high bid means outbid even
 * before that receipt reads OUTBID. After the close the server's word (winnerId, WON,
 * RESERVE_NOT_MET) decides.
 */
export function viewerOutcome(
  state: Pick<LiveEnglish, 'highBid' | 'close' | 'view'>,
  viewerId: string | null,
  receipts: readonly Mine[],
): ViewerOutcome {
  if (viewerId === null) return { kind: 'signed_out' };
  if (viewerId === state.view.sellerId) return { kind: 'seller' };
  const led = highest(receipts.filter((r) => LED.includes(r.status)));
  const pending = highest(receipts.filter((r) => r.status === 'PENDING'));

  if (state.close !== null) return closedOutcome(state.close, viewerId, receipts, led);
  if (led !== null && led.status === 'LEADING' && (state.highBid === null || led.amount >= state.highBid)) {
    return { kind: 'leading', amount: led.amount };
  }
  // A bid still in the queue that could lead matters more than an old lead that was beaten.
  if (pending !== null && (state.highBid === null || pending.amount > state.highBid)) {
    return { kind: 'pending', amount: pending.amount };
  }
  if (led !== null) return { kind: 'outbid', amount: led.amount };
  if (pending !== null) return { kind: 'pending', amount: pending.amount };
  return { kind: 'no_bid' };
}

function closedOutcome(
  close: NonNullable<LiveEnglish['close']>,
  viewerId: string,
  receipts: readonly Mine[],
  led: Mine | null,
): ViewerOutcome {
  // A refunded English receipt was WON first: only a won lot can be refunded.
  const won = receipts.find((r) => WON.includes(r.status));
  if (won !== undefined) return { kind: 'won', amount: won.amount };
  if (close.winnerId === viewerId) return { kind: 'won', amount: close.finalPrice ?? led?.amount ?? 0 };
  const short = receipts.find((r) => r.status === 'RESERVE_NOT_MET');
  if (short !== undefined) return { kind: 'reserve_not_met', amount: short.amount };
  // Closed unsold while the viewer's receipt still reads LEADING (not reloaded yet): the reserve stopped it.
  if (close.winnerId === null && led?.status === 'LEADING') return { kind: 'reserve_not_met', amount: led.amount };
  if (led !== null) return { kind: 'outbid', amount: led.amount };
  return { kind: 'no_bid' };
}
