import {
  type BidOutcome,
  type NotificationDraft,
  notificationsOfBids,
  notificationsOfEnglishBids,
  receiptAfterGivingUp,
} from '@dutch/domain';
import type { GivenUpBid } from './dead-letter.ts';
import type { OwnedAuction } from './lock-owned-auction.ts';

/**
 * The FAILED (PROCESSING_FAILED) receipt notification of a bid given up on, in the words of its
 * format, built by the same domain builders as a settled bid's: its buyer hears of it once, like
 * of any other decided receipt.
 */
export function notificationsOfGivenUpBid(auction: OwnedAuction, bid: GivenUpBid): NotificationDraft[] {
  const { receiptId, buyerId, quantity, unitPrice } = bid;
  const reason = receiptAfterGivingUp('bid').failureReason;
  if (auction.format === 'english' && bid.format === 'english') {
    const outcome = { status: 'FAILED', reason, receiptId, buyerId, amount: unitPrice } as const;
    // Nothing led or moved: only the failure is told.
    const settlement = { outcomes: [outcome], outbid: [], lead: auction.lead, moves: [], extendedTo: null };
    return notificationsOfEnglishBids(auction, settlement);
  }
  const outcome: BidOutcome = {
    status: 'FAILED',
    reason,
    receiptId,
    buyerId,
    quantity,
    unitPrice,
    total: quantity * unitPrice,
  };
  return notificationsOfBids(auction, [outcome]);
}
