import type { EnglishLead } from '@dutch/domain';
import type { Tx } from '../client.ts';

/**
 * Writes back what an English run moved on a locked auction: the lead (high bid, leader, leading
 * receipt, leading-bid count), the current end (a soft close moves it) and the settlement count.
 */
export function saveEnglishLead(
  tx: Tx,
  auction: { readonly id: string; readonly lead: EnglishLead; readonly settledCount: number },
) {
  const { lead } = auction;
  return tx`
    update auctions set high_bid = ${lead.highBid}, bid_count = ${lead.bidCount}, leader_id = ${lead.leaderId},
      leading_receipt_id = ${lead.leadingReceiptId},
      ends_at = 'epoch'::timestamptz + ${lead.endsAt}::int8 * interval '1 millisecond',
      settled_count = ${auction.settledCount}
    where id = ${auction.id}`;
}
