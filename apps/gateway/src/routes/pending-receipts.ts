import { decodePendingReceipt, type KeyLayout, pendingReceiptsKey, type RedisClient } from '@dutch/stream';
import { pendingReceiptView, type ReceiptView } from '../views/receipt-view.ts';

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
    .filter((pending) => pending !== null && (party === 'buyer' ? pending.buyerId : pending.sellerId) === memberId)
    .map((pending) => pendingReceiptView(pending as NonNullable<typeof pending>))
    .filter((receipt) => isBefore(receipt, cursor))
    .sort(newerFirst);
}

/** A hash's values, read in pages so a large one does not block Redis. */
async function allValues(redis: RedisClient, key: string): Promise<string[]> {
  const values: string[] = [];
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'COUNT', 1000);
    for (let i = 1; i < flat.length; i += 2) values.push(flat[i] as string);
    cursor = next;
  } while (cursor !== '0');
  return values;
}
