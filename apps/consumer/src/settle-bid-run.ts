import {
  type BidOutcome,
  HELD_STATUSES,
  idempotencyScope,
  type KeyedReceipt,
  type QueuedBid,
  settleBids,
} from '@dutch/domain';
import type { DeliveredBid } from './delivered.ts';
import {
  appendLedger,
  applyPointDeltas,
  type LockedAuction,
  lockMembers,
  saveAuction,
  type Tx,
} from './locked-auction.ts';

export interface BidRunResult {
  /** Newly settled outcomes, in stream order. */
  readonly outcomes: readonly BidOutcome[];
  /** Receipts that were already settled before (a redelivery): acknowledged, nothing applied. */
  readonly duplicates: number;
  /** acceptedAt of each newly settled bid, for the latency metric. */
  readonly acceptedAt: readonly number[];
}

/**
 * Settles a run of bids for an auction already locked in `tx`: reads the buyers' points and
 * holdings, lets the domain decide every bid in stream order, then writes all results with
 * set-based statements. A receipt that is already in Postgres was settled by an earlier
 * delivery and is skipped, so a redelivered entry changes nothing. Receipts already keeping the
 * run's Idempotency-Keys are read in the same round trip, so the domain can refuse a retry that
 * Redis forgot.
 */
export async function settleBidRun(
  tx: Tx,
  auction: LockedAuction,
  run: readonly DeliveredBid[],
  settledAt: number,
): Promise<BidRunResult> {
  const ids = run.map((entry) => entry.message.receiptId);
  const buyers = [...new Set(run.map((entry) => entry.message.buyerId))];
  // With no stock left no bid can be served, whatever the balances: after a sell-out (most of a
  // burst) skip locking the buyers and reading their holdings. The domain still decides each bid.
  const canSell = auction.stock > 0 && !auction.withdrawn;
  const [existing, points, heldRows, keyedReceipts] = await Promise.all([
    tx<{ id: string }[]>`select id from receipts where id = any(${ids}::uuid[])`,
    canSell ? lockMembers(tx, [...buyers, auction.terms.sellerId]) : new Map<string, number>(),
    canSell
      ? tx<{ buyerId: string; held: number }[]>`
          select buyer_id as "buyerId", sum(quantity)::int8 as held from receipts
          where auction_id = ${auction.id} and buyer_id = any(${buyers}::uuid[])
            and status = any(${[...HELD_STATUSES]}::text[])
          group by buyer_id`
      : [],
    findKeyedReceipts(tx, run),
  ]);

  const seen = new Set(existing.map((row) => row.id));
  const fresh: DeliveredBid[] = [];
  for (const entry of run) {
    if (seen.has(entry.message.receiptId)) continue;
    seen.add(entry.message.receiptId);
    fresh.push(entry);
  }
  const duplicates = run.length - fresh.length;
  if (fresh.length === 0) return { outcomes: [], duplicates, acceptedAt: [] };

  const bids: QueuedBid[] = fresh.map(({ message }) => message);
  const held = new Map(heldRows.map((row) => [row.buyerId, row.held]));
  const settlement = settleBids(
    auction.terms,
    { stock: auction.stock, points, held, withdrawn: auction.withdrawn, keyedReceipts },
    bids,
  );

  const firstSeq = auction.settledCount + 1;
  auction.stock = settlement.stockAfter;
  auction.settledCount += settlement.outcomes.length;

  const o = settlement.outcomes;
  const purchases = o.filter((x) => x.status === 'PURCHASED');
  const writes = [
    tx`
      insert into receipts (id, auction_id, buyer_id, seller_id, quantity, unit_price, total, status, failure_reason,
                            accepted_at, settled_at, stream_id, settle_seq, idempotency_key, duplicate_of)
      select r.id, ${auction.id}, r.buyer_id, ${auction.terms.sellerId}, r.quantity, r.unit_price, r.total, r.status,
             r.failure_reason, 'epoch'::timestamptz + r.accepted_ms * interval '1 millisecond',
             'epoch'::timestamptz + ${settledAt}::int8 * interval '1 millisecond', r.stream_id, ${firstSeq}::int8 + r.ord - 1,
             r.idempotency_key, r.duplicate_of
      from unnest(${o.map((x) => x.receiptId)}::uuid[], ${o.map((x) => x.buyerId)}::uuid[],
                  ${o.map((x) => x.quantity)}::int4[], ${o.map((x) => x.unitPrice)}::int4[], ${o.map((x) => x.total)}::int8[],
                  ${o.map((x) => x.status)}::text[], ${o.map((x) => (x.status === 'FAILED' ? x.reason : null))}::text[],
                  ${fresh.map((e) => e.message.acceptedAt)}::int8[], ${fresh.map((e) => e.streamId)}::text[],
                  ${o.map((x) => x.idempotencyKey ?? null)}::text[],
                  ${o.map((x) => (x.status === 'FAILED' ? (x.duplicateOf ?? null) : null))}::uuid[])
        with ordinality as r(id, buyer_id, quantity, unit_price, total, status, failure_reason, accepted_ms, stream_id,
                             idempotency_key, duplicate_of, ord)`,
    saveAuction(tx, auction),
  ];
  if (purchases.length > 0) {
    writes.push(applyPointDeltas(tx, settlement.pointDeltas));
    writes.push(
      appendLedger(
        tx,
        'purchase',
        purchases.map((x) => ({
          from: x.buyerId,
          to: auction.terms.sellerId,
          amount: x.total,
          receiptId: x.receiptId,
        })),
      ),
    );
  }
  await Promise.all(writes);
  return { outcomes: o, duplicates, acceptedAt: fresh.map((e) => e.message.acceptedAt) };
}

/**
 * The latest settled receipt keeping each buyer's Idempotency-Key among the run's, in one
 * query whatever the run's size (the partial index on buyer and key answers it).
 */
async function findKeyedReceipts(tx: Tx, run: readonly DeliveredBid[]): Promise<Map<string, KeyedReceipt>> {
  const keyed = run.flatMap(({ message }) =>
    message.idempotency === undefined ? [] : [{ buyerId: message.buyerId, key: message.idempotency.key }],
  );
  if (keyed.length === 0) return new Map();
  const rows = await tx<{ buyerId: string; key: string; receiptId: string; acceptedAt: number }[]>`
    select distinct on (r.buyer_id, r.idempotency_key)
           r.buyer_id as "buyerId", r.idempotency_key as key, r.id as "receiptId",
           (extract(epoch from r.accepted_at) * 1000)::int8 as "acceptedAt"
    from receipts r
    join unnest(${keyed.map((k) => k.buyerId)}::uuid[], ${keyed.map((k) => k.key)}::text[]) as k(buyer_id, key)
      on r.buyer_id = k.buyer_id and r.idempotency_key = k.key
    where r.idempotency_key is not null
    order by r.buyer_id, r.idempotency_key, r.accepted_at desc`;
  return new Map(rows.map((row) => [idempotencyScope(row.buyerId, row.key), row]));
}
