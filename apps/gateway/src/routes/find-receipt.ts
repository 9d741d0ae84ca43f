import { type Db, receipts } from '@dutch/db';
import { decodePendingReceipt, type KeyLayout, pendingReceiptsKey, type RedisClient } from '@dutch/stream';
import { eq } from 'drizzle-orm';
import { pendingReceiptView, type ReceiptRow, type ReceiptView, settledReceiptView } from '../views/receipt-view.ts';

async function settledRow(db: Db, id: string): Promise<ReceiptRow | undefined> {
  const [row] = await db.select().from(receipts).where(eq(receipts.id, id));
  return row;
}

/**
 * A receipt wherever it is: Postgres once settled, Redis while pending. The pending copy
 * sits in its auction's shard, which the id alone does not tell, so every shard is asked
 * (one pipelined round trip). Postgres is asked again last: the consumer commits before it
 * deletes the pending copy, so a receipt missing from both was settled in between.
 */
export async function findReceipt(
  db: Db,
  redis: RedisClient,
  layout: KeyLayout,
  id: string,
): Promise<ReceiptView | null> {
  const settled = await settledRow(db, id);
  if (settled !== undefined) return settledReceiptView(settled);
  const copies = await Promise.all(
    Array.from({ length: layout.shards }, (_, shard) => redis.hget(pendingReceiptsKey(layout, shard), id)),
  );
  for (const copy of copies) {
    const pending = decodePendingReceipt(copy);
    if (pending !== null && pending.id === id) return pendingReceiptView(pending);
  }
  const late = await settledRow(db, id);
  return late === undefined ? null : settledReceiptView(late);
}
