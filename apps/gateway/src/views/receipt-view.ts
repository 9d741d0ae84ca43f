import type { Receipt } from '@dutch/contract';
import type { receipts } from '@dutch/db';
import type { FailureReason } from '@dutch/domain';
import type { PendingReceipt } from '@dutch/stream';

export type ReceiptRow = typeof receipts.$inferSelect;

/** A receipt as the API shows it: the contract's shape, read-only. */
export type ReceiptView = Readonly<Receipt>;

export function settledReceiptView(row: ReceiptRow): ReceiptView {
  return {
    id: row.id,
    auctionId: row.auctionId,
    buyerId: row.buyerId,
    sellerId: row.sellerId,
    quantity: row.quantity,
    unitPrice: row.unitPrice,
    total: row.total,
    status: row.status,
    ...(row.failureReason === null ? {} : { failureReason: row.failureReason as FailureReason }),
    ...(row.duplicateOf === null ? {} : { duplicateOf: row.duplicateOf }),
    acceptedAt: row.acceptedAt.toISOString(),
    settledAt: row.settledAt.toISOString(),
    ...(row.refundedAt === null ? {} : { refundedAt: row.refundedAt.toISOString() }),
  };
}

export function pendingReceiptView(pending: PendingReceipt): ReceiptView {
  return {
    id: pending.id,
    auctionId: pending.auctionId,
    buyerId: pending.buyerId,
    sellerId: pending.sellerId,
    quantity: pending.quantity,
    unitPrice: pending.unitPrice,
    total: pending.total,
    status: 'PENDING',
    acceptedAt: new Date(pending.acceptedAt).toISOString(),
  };
}
