import type { AuctionFormat, ReceiptStatus } from '@dutch/domain';
import type { Tx } from '../client.ts';

/**
 * A receipt as settlement decided it. Times are epoch ms, as everywhere at this package's boundary.
 * An English receipt has quantity 1 and unitPrice = total = the amount bid.
 */
export interface NewReceipt {
  readonly id: string;
  readonly buyerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly total: number;
  readonly status: ReceiptStatus;
  readonly failureReason: string | null;
  readonly acceptedAt: number;
  readonly streamId: string;
  readonly idempotencyKey?: string | null;
  readonly duplicateOf?: string | null;
  /** The auction's format; 'dutch' when absent. */
  readonly format?: AuctionFormat;
}

/** Where the receipts go: one auction, numbered on from firstSeq in the order given. */
export interface ReceiptBatch {
  readonly auctionId: string;
  readonly sellerId: string;
  readonly firstSeq: number;
  readonly settledAt: number;
  /**
   * Skip receipts already written (a retried give-up) instead of failing. Settlement leaves it
   * off: it filters redeliveries first, so a conflict there is a bug that must roll back.
   */
  readonly skipExisting?: boolean;
}

/**
 * Writes settled receipts in one statement, whatever their number: every path that records a
 * receipt (bid settlement, a given-up bid, a lost one) goes through here. Returns the ids written.
 */
export async function insertReceipts(tx: Tx, batch: ReceiptBatch, rows: readonly NewReceipt[]): Promise<string[]> {
  const conflict = batch.skipExisting === true ? tx`on conflict (id) do nothing` : tx``;
  const written = await tx<{ id: string }[]>`
    insert into receipts (id, auction_id, buyer_id, seller_id, quantity, unit_price, total, status, failure_reason,
                          accepted_at, settled_at, stream_id, settle_seq, idempotency_key, duplicate_of, format)
    select r.id, ${batch.auctionId}, r.buyer_id, ${batch.sellerId}, r.quantity, r.unit_price, r.total, r.status,
           r.failure_reason, 'epoch'::timestamptz + r.accepted_ms * interval '1 millisecond',
           'epoch'::timestamptz + ${batch.settledAt}::int8 * interval '1 millisecond', r.stream_id,
           ${batch.firstSeq}::int8 + r.ord - 1, r.idempotency_key, r.duplicate_of, r.format
    from unnest(${rows.map((x) => x.id)}::uuid[], ${rows.map((x) => x.buyerId)}::uuid[],
                ${rows.map((x) => x.quantity)}::int4[], ${rows.map((x) => x.unitPrice)}::int4[], ${rows.map((x) => x.total)}::int8[],
                ${rows.map((x) => x.status)}::text[], ${rows.map((x) => x.failureReason)}::text[],
                ${rows.map((x) => x.acceptedAt)}::int8[], ${rows.map((x) => x.streamId)}::text[],
                ${rows.map((x) => x.idempotencyKey ?? null)}::text[], ${rows.map((x) => x.duplicateOf ?? null)}::uuid[],
                ${rows.map((x) => x.format ?? 'dutch')}::text[])
      with ordinality as r(id, buyer_id, quantity, unit_price, total, status, failure_reason, accepted_ms, stream_id,
                           idempotency_key, duplicate_of, format, ord)
    ${conflict}
    returning id`;
  return written.map((row) => row.id);
}
