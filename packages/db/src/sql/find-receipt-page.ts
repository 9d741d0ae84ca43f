import { isRefundable, REFUNDABLE_STATUSES, type ReceiptStatus } from '@dutch/domain';
import { and, desc, eq, inArray, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { receipts } from '../schema.ts';

export interface ReceiptPageRequest {
  readonly party: 'buyer' | 'seller';
  readonly memberId: string;
  /** Any status but PENDING, which only Redis holds; undefined for every one. */
  readonly status: ReceiptStatus | undefined;
  /** Refundable (PURCHASED or WON) receipts with a refund queued in Redis: they count as REFUND_PENDING. */
  readonly queued: ReadonlySet<string>;
  /** Only receipts before this (acceptedAt epoch ms, id), newest first. */
  readonly before: { readonly at: number; readonly id: string } | null;
  readonly limit: number;
}

/**
 * A member's settled receipts, newest first, keyset-paged on (acceptedAt, id) so the indexes
 * receipts_{buyer,seller}_recent_idx serve it. Reads one more than the limit: the caller tells
 * from it whether a next page exists.
 */
export async function findReceiptPage(db: Db, request: ReceiptPageRequest): Promise<(typeof receipts.$inferSelect)[]> {
  const { before, status } = request;
  const column = request.party === 'buyer' ? receipts.buyerId : receipts.sellerId;
  const conditions: SQL[] = [eq(column, request.memberId) as SQL];
  const marked = [...request.queued];
  if (status === 'REFUND_PENDING') {
    const queuedRefund =
      marked.length === 0
        ? sql`false`
        : and(inArray(receipts.status, [...REFUNDABLE_STATUSES]), inArray(receipts.id, marked));
    conditions.push(sql`(${receipts.status} = 'REFUND_PENDING' or ${queuedRefund})`);
  } else if (status !== undefined) {
    conditions.push(eq(receipts.status, status as Exclude<ReceiptStatus, 'PENDING'>) as SQL);
    if (isRefundable(status) && marked.length > 0) conditions.push(notInArray(receipts.id, marked));
  }
  if (before !== null) {
    conditions.push(
      sql`(${receipts.acceptedAt}, ${receipts.id}) < (${new Date(before.at).toISOString()}::timestamptz, ${before.id}::uuid)`,
    );
  }
  return db
    .select()
    .from(receipts)
    .where(and(...conditions))
    .orderBy(desc(receipts.acceptedAt), desc(receipts.id))
    .limit(request.limit + 1);
}
