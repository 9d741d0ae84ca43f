import { HELD_STATUSES, LEDGER_KINDS } from '@dutch/domain';
import type postgres from 'postgres';
import type { Sql } from './client.ts';

/** Limits a check to the audited auctions (alias `a`). */
export type Scope = postgres.Fragment;

/** Stock never goes negative or above the initial stock, and what left it is what buyers hold. */
export async function checkStockHeld(sql: Sql, scope: Scope): Promise<string[]> {
  const held = sql`coalesce(sum(r.quantity) filter (where r.status = any(${[...HELD_STATUSES]}::text[])), 0)`;
  const stock = await sql<{ id: string; stock: number; initialStock: number; held: number }[]>`
    select a.id, a.stock, a.initial_stock as "initialStock", ${held}::int8 as held
    from auctions a left join receipts r on r.auction_id = a.id
    where ${scope}
    group by a.id
    having a.stock < 0 or a.stock > a.initial_stock or a.initial_stock - a.stock <> ${held}`;
  return stock.map(
    (row) => `auction ${row.id}: stock ${row.stock} of ${row.initialStock}, but buyers hold ${row.held}`,
  );
}

/**
 * Each receipt has exactly the moves its status calls for, of the amounts it says, one row per
 * kind at most (a unique index sees to that):
 * - purchase (its total) once bought: Dutch PURCHASED, English WON, and both after a refund request;
 * - refund of finalUnitPrice * quantity (total - rebate) once REFUNDED;
 * - hold of its total on every English receipt that led, and on every uniform Dutch purchase
 *   (the seller's takings, held until the close);
 * - release of that hold: English once no longer LEADING; uniform once closed or refunded;
 * - rebate of the receipt's rebate, when it has one (the close gave it).
 */
export async function checkReceiptMoves(sql: Sql, scope: Scope): Promise<string[]> {
  const wrong = await sql<
    { id: string; status: string; kind: string; n: number; amount: number; wantN: number; want: number }[]
  >`
    with facts as (
      select r.id, r.status, r.total, r.rebate, a.closed_at is not null as closed,
             r.format = 'english' or a.pricing = 'uniform' as holds,
             r.format = 'english' as english,
             coalesce(r.final_unit_price, r.unit_price)::int8 * r.quantity as refund
      from receipts r join auctions a on a.id = r.auction_id
      where ${scope}
    ), expected as (
      select f.id, f.status, k.kind,
        case
          when k.kind = 'purchase' and f.status not in ('FAILED', 'LEADING', 'OUTBID', 'RESERVE_NOT_MET') then f.total
          when k.kind = 'refund' and f.status = 'REFUNDED' then f.refund
          when k.kind = 'hold' and f.holds and f.status <> 'FAILED' then f.total
          when k.kind = 'release' and f.english and f.status not in ('FAILED', 'LEADING') then f.total
          when k.kind = 'release' and f.holds and not f.english
               and (f.status = 'REFUNDED' or (f.closed and f.status <> 'FAILED')) then f.total
          when k.kind = 'rebate' and f.rebate > 0 then f.rebate
          else 0
        end as want
      from facts f cross join unnest(${LEDGER_KINDS.filter((kind) => kind !== 'charge')}::text[]) as k(kind)
    )
    select e.id, e.status, e.kind, count(l.id)::int as n, coalesce(sum(l.amount), 0)::int8 as amount,
           (case when e.want > 0 then 1 else 0 end) as "wantN", e.want::int8 as want
    from expected e left join points_ledger l on l.receipt_id = e.id and l.kind = e.kind
    group by e.id, e.status, e.kind, e.want
    having count(l.id) <> (case when e.want > 0 then 1 else 0 end) or coalesce(sum(l.amount), 0) <> e.want
    order by e.id, e.kind
    limit 20`;
  return wrong.map(
    (row) =>
      `receipt ${row.id} (${row.status}) has ${row.n} ${row.kind} moves of ${row.amount} points, ` +
      `expected ${row.wantN} of ${row.want}`,
  );
}

/**
 * Each move goes between its receipt's parties: a purchase from buyer to seller, a refund and a
 * rebate from seller to buyer, a hold and its release on the buyer (English) or the seller (uniform).
 */
export async function checkMoveParties(sql: Sql, scope: Scope): Promise<string[]> {
  const wrong = await sql<{ id: number; kind: string; receiptId: string }[]>`
    select l.id, l.kind, l.receipt_id as "receiptId"
    from points_ledger l join receipts r on r.id = l.receipt_id join auctions a on a.id = r.auction_id
    where ${scope} and not case l.kind
      when 'purchase' then l.from_member = r.buyer_id and l.to_member = r.seller_id
      when 'refund' then l.from_member = r.seller_id and l.to_member = r.buyer_id
      when 'rebate' then l.from_member = r.seller_id and l.to_member = r.buyer_id
      else l.from_member = l.to_member
        and l.to_member = (case when r.format = 'english' then r.buyer_id else r.seller_id end)
    end
    order by l.id
    limit 10`;
  return wrong.map(
    (row) => `ledger row ${row.id} (${row.kind}) moves points between others than receipt ${row.receiptId}'s parties`,
  );
}

/** Receipts of an auction settle in stream order. */
export async function checkSettleOrder(sql: Sql, scope: Scope): Promise<string[]> {
  const disorder = await sql<{ auctionId: string; settleSeq: number; streamId: string; previous: string }[]>`
    select auction_id as "auctionId", settle_seq as "settleSeq", stream_id as "streamId", previous from (
      select r.auction_id, r.settle_seq, r.stream_id,
             lag(r.stream_id) over (partition by r.auction_id order by r.settle_seq) as previous
      from receipts r join auctions a on a.id = r.auction_id
      -- Only a receipt whose entry vanished from the stream before it settled has no stream id to compare.
      where ${scope} and r.stream_id <> 'lost'
    ) s
    where previous is not null
      and (split_part(stream_id, '-', 1)::int8, split_part(stream_id, '-', 2)::int8)
        < (split_part(previous, '-', 1)::int8, split_part(previous, '-', 2)::int8)
    limit 10`;
  return disorder.map(
    (row) =>
      `auction ${row.auctionId}: receipt #${row.settleSeq} (stream ${row.streamId}) settled after ${row.previous}`,
  );
}
