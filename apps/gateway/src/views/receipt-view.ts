import type { receipts } from '@dutch/db';
import type { FailureReason, ReceiptStatus } from '@dutch/domain';
import type { PendingReceipt } from '@dutch/stream';

export type ReceiptRow = typeof receipts.$inferSelect;

export interface ReceiptView {
  readonly id: string;
  readonly auctionId: string;
  readonly buyerId: string;
  readonly sellerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly total: number;
  readonly status: ReceiptStatus;
  readonly failureReason?: FailureReason;
  /** A DUPLICATE_REQUEST: the receipt the first request with the same Idempotency-Key made. */
  readonly duplicateOf?: string;
  readonly acceptedAt: string;
  readonly settledAt?: string;
  readonly refundedAt?: string;
}

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
