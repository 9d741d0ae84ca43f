import type { DutchReceipt, EnglishReceipt, Receipt } from '@dutch/contract';
import type { receipts } from '@dutch/db';
import type { FailureReason } from '@dutch/domain';
import type { PendingReceipt } from '@dutch/stream';

export type ReceiptRow = typeof receipts.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();

/** A receipt as the API shows it: the contract's shape, read-only. */
export type ReceiptView = Readonly<Receipt>;

/** The fields both formats show: who, the outcome, and when. */
function commonOf(row: ReceiptRow) {
  return {
    id: row.id,
    auctionId: row.auctionId,
    buyerId: row.buyerId,
    sellerId: row.sellerId,
  };
}

function outcomeOf(row: ReceiptRow) {
  return {
    status: row.status,
    ...(row.failureReason === null ? {} : { failureReason: row.failureReason as FailureReason }),
    ...(row.duplicateOf === null ? {} : { duplicateOf: row.duplicateOf }),
    acceptedAt: iso(row.acceptedAt),
    settledAt: iso(row.settledAt),
    ...(row.refundedAt === null ? {} : { refundedAt: iso(row.refundedAt) }),
    // The auction's settlement order is the stream order: first accepted, first served.
    position: row.settleSeq,
  };
}

/**
 * A settled receipt in its format. An English one shows its `amount` (stored as a one-unit
 * purchase at that price); a Dutch one what each unit finally costs and its rebate.
 */
export function settledReceiptView(row: ReceiptRow): ReceiptView {
  if (row.format === 'english') {
    const english: EnglishReceipt = { ...commonOf(row), format: 'english', amount: row.total, ...outcomeOf(row) };
    return english;
  }
  const dutch: DutchReceipt = {
    ...commonOf(row),
    format: 'dutch',
    quantity: row.quantity,
    unitPrice: row.unitPrice,
    total: row.total,
    // Before a uniform close (and always for pay-as-bid) a unit costs what the bid paid.
    finalUnitPrice: row.finalUnitPrice ?? row.unitPrice,
    rebate: row.rebate,
    ...outcomeOf(row),
  };
  return dutch;
}

export function pendingReceiptView(pending: PendingReceipt): ReceiptView {
  const parties = {
    id: pending.id,
    auctionId: pending.auctionId,
    buyerId: pending.buyerId,
    sellerId: pending.sellerId,
  };
  const acceptedAt = iso(pending.acceptedAt);
  if (pending.format === 'english') {
    return { ...parties, format: 'english', amount: pending.total, status: 'PENDING', acceptedAt };
  }
  return {
    ...parties,
    format: 'dutch',
    quantity: pending.quantity,
    unitPrice: pending.unitPrice,
    total: pending.total,
    finalUnitPrice: pending.unitPrice,
    rebate: 0,
    status: 'PENDING',
    acceptedAt,
  };
}
