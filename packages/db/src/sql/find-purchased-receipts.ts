import type { PurchasedReceipt } from '@dutch/domain';
import type { Tx } from '../client.ts';

/**
 * The auction's PURCHASED receipts in settlement order, for its uniform close to price and rebate
 * (call it under the auction's row lock: no purchase or refund of the auction can commit meanwhile).
 */
export function findPurchasedReceipts(tx: Tx, auctionId: string) {
  return tx<PurchasedReceipt[]>`
    select id as "receiptId", buyer_id as "buyerId", quantity, unit_price as "unitPrice", total
    from receipts where auction_id = ${auctionId} and status = 'PURCHASED'
    order by settle_seq`;
}
