import { isRefundable } from '@dutch/domain';
import {
  decodePendingReceipt,
  type KeyLayout,
  type PendingReceipt,
  pendingReceiptsKey,
  type RedisClient,
  refundMarksKey,
} from '@dutch/stream';
import type { ReceiptView } from '../views/receipt-view.ts';
import { redisReceiptView } from './find-receipt.ts';

export interface ListCursor {
  /** acceptedAt, epoch ms */
  readonly at: number;
  readonly id: string;
}

/** Newest first, on (acceptedAt, id): the order purchase and sales lists use. */
export function newerFirst(a: ReceiptView, b: ReceiptView): number {
  const byTime = Date.parse(b.acceptedAt) - Date.parse(a.acceptedAt);
  return byTime !== 0 ? byTime : b.id < a.id ? -1 : b.id > a.id ? 1 : 0;
}

function isBefore(receipt: ReceiptView, cursor: ListCursor | null): boolean {
  if (cursor === null) return true;
  const at = Date.parse(receipt.acceptedAt);
  return at < cursor.at || (at === cursor.at && receipt.id < cursor.id);
}

/**
 * A member's receipts that are still pending, newest first and past the cursor, from every
 * shard's hash of pending receipts. Receipts are pending for milliseconds while consumers keep
 * up, so the hashes are small and read whole; a backlog makes this slower, never wrong. (An
 * index per member would have cost every bid two more keys in Redis, on the hottest path.)
 */
export async function pendingReceiptsOf(
  redis: RedisClient,
  layout: KeyLayout,
  party: 'buyer' | 'seller',
  memberId: string,
  cursor: ListCursor | null,
): Promise<ReceiptView[]> {
  const shards = Array.from({ length: layout.shards }, (_, shard) => shard);
  const copies = await Promise.all(shards.map((shard) => allValues(redis, pendingReceiptsKey(layout, shard))));
  return copies
    .flat()
    .map(decodePendingReceipt)
    .filter(
      (pending): pending is PendingReceipt =>
        pending !== null && (party === 'buyer' ? pending.buyerId : pending.sellerId) === memberId,
    )
    .map(redisReceiptView)
    .filter((receipt) => isBefore(receipt, cursor))
    .sort(newerFirst);
}

/**
 * Receipts with a refund queued and not yet decided, from every shard's refund marks (read
 * whole: a mark lives from the request until its settlement, milliseconds while consumers keep up).
 */
export async function queuedRefunds(redis: RedisClient, layout: KeyLayout): Promise<Set<string>> {
  const shards = Array.from({ length: layout.shards }, (_, shard) => shard);
  const ids = await Promise.all(shards.map((shard) => allFields(redis, refundMarksKey(layout, shard), 0)));
  return new Set(ids.flat());
}

/** Postgres keeps decided refunds only: a refundable receipt with a refund queued reads REFUND_PENDING. */
export function markQueuedRefund(receipt: ReceiptView, queued: ReadonlySet<string>): ReceiptView {
  return isRefundable(receipt.status) && queued.has(receipt.id) ? { ...receipt, status: 'REFUND_PENDING' } : receipt;
}

/** A hash's values, read in pages so a large one does not block Redis. */
function allValues(redis: RedisClient, key: string): Promise<string[]> {
  return allFields(redis, key, 1);
}

/** A hash's fields (part 0) or values (part 1), read in pages so a large one does not block Redis. */
async function allFields(redis: RedisClient, key: string, part: 0 | 1): Promise<string[]> {
  const values: string[] = [];
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'COUNT', 1000);
    for (let i = part; i < flat.length; i += 2) values.push(flat[i] as string);
    cursor = next;
  } while (cursor !== '0');
  return values;
}
