import type { Tx } from '../client.ts';

export interface KeyedReceiptRow {
  readonly buyerId: string;
  readonly key: string;
  readonly receiptId: string;
  readonly acceptedAt: number;
}

/**
 * The latest settled receipt keeping each buyer's Idempotency-Key among those given, in one
 * query whatever their number (the partial index on buyer and key answers it).
 */
export async function findKeyedReceipts(
  tx: Tx,
  keyed: readonly { readonly buyerId: string; readonly key: string }[],
): Promise<KeyedReceiptRow[]> {
  if (keyed.length === 0) return [];
  return tx<KeyedReceiptRow[]>`
    select distinct on (r.buyer_id, r.idempotency_key)
           r.buyer_id as "buyerId", r.idempotency_key as key, r.id as "receiptId",
           (extract(epoch from r.accepted_at) * 1000)::int8 as "acceptedAt"
    from receipts r
    join unnest(${keyed.map((k) => k.buyerId)}::uuid[], ${keyed.map((k) => k.key)}::text[]) as k(buyer_id, key)
      on r.buyer_id = k.buyer_id and r.idempotency_key = k.key
    where r.idempotency_key is not null
    order by r.buyer_id, r.idempotency_key, r.accepted_at desc`;
}
