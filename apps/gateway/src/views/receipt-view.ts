import type { Receipt } from '@dutch/contract';
import type { receipts } from '@dutch/db';
import type { FailureReason } from '@dutch/domain';
import type { PendingReceipt } from '@dutch/stream';

export type ReceiptRow = typeof receipts.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();

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
    acceptedAt: iso(row.acceptedAt),
    settledAt: iso(row.settledAt),
    ...(row.refundedAt === null ? {} : { refundedAt: iso(row.refundedAt) }),
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
    acceptedAt: iso(pending.acceptedAt),
  };
}
