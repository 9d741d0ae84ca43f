import type { AuctionFormat } from './auction.ts';
import type { ClosePlan, PurchasedReceipt } from './close-auction.ts';
import type { EnglishLead } from './english.ts';
import { auctionDedupeKey, type NotificationDraft, rebateDedupeKey, uniqueDrafts } from './notification.ts';
import { type NotifiedAuction, receiptDraft } from './notifications-of-bids.ts';

/**
 * What the close's words need beyond the plan, read by the consumer in the close's transaction:
 * exactly the `CloseInput` it gave closeAuction (which fits this type), i.e. the Dutch auction's
 * PURCHASED receipts (who gets each rebate; units sold and takings), or the English lead (who won
 * or missed the reserve, for how much).
 */
export type CloseContext =
  | { readonly format: 'dutch'; readonly purchases: readonly PurchasedReceipt[] }
  | { readonly format: 'english'; readonly lead: EnglishLead };

/**
 * The close's notifications, all decided in its transaction:
 * - English: the leading receipt's WON or RESERVE_NOT_MET (data: title, status, amount). The
 *   reserve itself is never in it.
 * - Uniform Dutch: a `rebate` per receipt rebated more than 0 (data: title, rebate, quantity,
 *   finalUnitPrice: the clearing price, public once closed).
 * - `sold` to the seller, once per close, also when nothing sold (data: title, format, closeStatus,
 *   unitsSold, pointsEarned: what the seller keeps, rebates deducted).
 */
export function notificationsOfClose(
  auction: NotifiedAuction & { readonly sellerId: string },
  plan: ClosePlan,
  context: CloseContext,
): NotificationDraft[] {
  const drafts = context.format === 'english' ? englishDrafts(auction, plan, context.lead) : [];
  const purchases = context.format === 'dutch' ? context.purchases : [];
  const buyerOf = new Map(purchases.map((p) => [p.receiptId, p]));
  for (const receipt of plan.receipts) {
    const purchase = buyerOf.get(receipt.receiptId);
    if (purchase === undefined || receipt.rebate === undefined || receipt.rebate <= 0) continue;
    drafts.push({
      memberId: purchase.buyerId,
      kind: 'rebate',
      auctionId: auction.id,
      receiptId: receipt.receiptId,
      data: {
        title: auction.title,
        rebate: receipt.rebate,
        quantity: purchase.quantity,
        finalUnitPrice: receipt.finalUnitPrice ?? plan.clearingPrice,
      },
      dedupeKey: rebateDedupeKey(receipt.receiptId),
    });
  }
  drafts.push(soldDraft(auction, plan, context));
  return uniqueDrafts(drafts);
}

function englishDrafts(auction: NotifiedAuction, plan: ClosePlan, lead: EnglishLead): NotificationDraft[] {
  const drafts: NotificationDraft[] = [];
  for (const receipt of plan.receipts) {
    // Only the leading receipt is decided at an English close; its buyer and amount are the lead's.
    if (receipt.status === undefined || receipt.receiptId !== lead.leadingReceiptId) continue;
    if (lead.leaderId === null || lead.highBid === null) continue;
    const data = { title: auction.title, status: receipt.status, amount: lead.highBid };
    drafts.push(receiptDraft(auction, lead.leaderId, receipt.receiptId, receipt.status, data));
  }
  return drafts;
}

/** Units sold and the seller's takings: a Dutch auction's PURCHASED receipts less rebates; an English win. */
function soldDraft(
  auction: NotifiedAuction & { readonly sellerId: string },
  plan: ClosePlan,
  context: CloseContext,
): NotificationDraft {
  let format: AuctionFormat = 'english';
  let unitsSold = plan.winnerId === null ? 0 : 1;
  let pointsEarned = plan.winnerId === null ? 0 : (plan.finalPrice ?? 0);
  if (context.format === 'dutch') {
    format = 'dutch';
    const rebates = plan.receipts.reduce((sum, r) => sum + (r.rebate ?? 0), 0);
    unitsSold = context.purchases.reduce((sum, p) => sum + p.quantity, 0);
    pointsEarned = context.purchases.reduce((sum, p) => sum + p.total, 0) - rebates;
  }
  return {
    memberId: auction.sellerId,
    kind: 'sold',
    auctionId: auction.id,
    receiptId: null,
    data: { title: auction.title, format, closeStatus: plan.status, unitsSold, pointsEarned },
    dedupeKey: auctionDedupeKey('sold', auction.id),
  };
}
