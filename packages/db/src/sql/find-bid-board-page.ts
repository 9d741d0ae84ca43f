import type { AuctionFormat, ReceiptStatus } from '@dutch/domain';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { members, receipts } from '../schema.ts';

/** One settled bid on an auction's public board, before masking: the gateway masks the name. */
export interface BidBoardRow {
  /** settle_seq: the 1-based place in the auction's settlement (= stream) order. */
  readonly position: number;
  readonly buyerId: string;
  /** The buyer's name, unmasked: never to be shown as it is. */
  readonly name: string;
  readonly format: AuctionFormat;
  readonly quantity: number;
  /** English: the amount bid. */
  readonly unitPrice: number;
  readonly status: Exclude<ReceiptStatus, 'PENDING'>;
  /** Epoch ms. */
  readonly acceptedAt: number;
}

export interface BidBoardRequest {
  /** Only positions after this one (0: from the first). */
  readonly afterPosition: number;
  readonly limit: number;
}

/**
 * An auction's settled receipts in settlement order, with their buyers' names, from the unique
 * (auction_id, settle_seq) index. Only settled receipts are in Postgres, so PENDING ones never
 * show. Reads one more than the limit: the caller tells from it whether a next page exists.
 */
export async function findBidBoardPage(db: Db, auctionId: string, request: BidBoardRequest): Promise<BidBoardRow[]> {
  return db
    .select({
      position: receipts.settleSeq,
      buyerId: receipts.buyerId,
      name: members.name,
      format: receipts.format,
      quantity: receipts.quantity,
      unitPrice: receipts.unitPrice,
      status: receipts.status,
      acceptedAt: receipts.acceptedAt,
    })
    .from(receipts)
    .innerJoin(members, eq(members.id, receipts.buyerId))
    .where(and(eq(receipts.auctionId, auctionId), gt(receipts.settleSeq, request.afterPosition)))
    .orderBy(asc(receipts.settleSeq))
    .limit(request.limit + 1);
}
