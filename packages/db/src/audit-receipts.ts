import { HELD_STATUSES } from '@dutch/domain';
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

/** Per receipt and kind: the moves found (count, amount) and the amount expected (0: no move). */
interface MoveCount {
  readonly id: string;
  readonly status: string;
  readonly kind: string;
  readonly n: number;
  readonly amount: number;
  readonly want: number;
  /** Moves of this receipt between others than its parties (the same on each of its rows). */
  readonly strays: number;
}

/**
 * Each receipt has exactly the moves its status calls for, of the amounts it says, between its
 * parties, one row per kind at most (a unique index sees to that):
 * - purchase (its total, buyer to seller) once bought: Dutch PURCHASED, English WON, and both
 *   after a refund request;
 * - refund of finalUnitPrice * quantity (total - rebate), seller to buyer, once REFUNDED;
 * - hold of its total on every English receipt that led (on the buyer), and on every uniform Dutch
 *   purchase (on the seller: the takings, held until the close);
 * - release of that hold: English once no longer LEADING; uniform once closed or refunded;
 * - rebate of the receipt's rebate, seller to buyer, when it has one (the close gave it).
 * One pass over the receipts' moves, grouped per receipt, so it stays cheap on a benchmark's ledger.
 */
export async function checkReceiptMoves(sql: Sql, scope: Scope): Promise<string[]> {
  const kind = (name: string) => sql`
    count(l.id) filter (where l.kind = ${name})::int as ${sql(`${name}_n`)},
    coalesce(sum(l.amount) filter (where l.kind = ${name}), 0)::int8 as ${sql(`${name}_amount`)}`;
  const rows = await sql<MoveCount[]>`
    with facts as (
      select r.id, r.status, r.total, r.rebate, r.buyer_id, r.seller_id, a.closed_at is not null as closed,
             r.format = 'english' as english, r.format = 'english' or a.pricing = 'uniform' as holds,
             coalesce(r.final_unit_price, r.unit_price)::int8 * r.quantity as refund
      from receipts r join auctions a on a.id = r.auction_id
      where ${scope}
    ), found as (
      select f.id, f.status,
        ${kind('purchase')}, ${kind('refund')}, ${kind('hold')}, ${kind('release')}, ${kind('rebate')},
        count(l.id) filter (where not case l.kind
          when 'purchase' then l.from_member = f.buyer_id and l.to_member = f.seller_id
          when 'refund' then l.from_member = f.seller_id and l.to_member = f.buyer_id
          when 'rebate' then l.from_member = f.seller_id and l.to_member = f.buyer_id
          else l.from_member = l.to_member and l.to_member = (case when f.english then f.buyer_id else f.seller_id end)
        end)::int as strays,
        case when f.status not in ('FAILED', 'LEADING', 'OUTBID', 'RESERVE_NOT_MET') then f.total else 0 end as purchase_want,
        case when f.status = 'REFUNDED' then f.refund else 0 end as refund_want,
        case when f.holds and f.status <> 'FAILED' then f.total else 0 end as hold_want,
        case when f.english and f.status not in ('FAILED', 'LEADING') then f.total
             when f.holds and not f.english and (f.status = 'REFUNDED' or (f.closed and f.status <> 'FAILED')) then f.total
             else 0 end as release_want,
        f.rebate as rebate_want
      from facts f left join points_ledger l on l.receipt_id = f.id
      group by f.id, f.status, f.total, f.rebate, f.refund, f.holds, f.english, f.closed
    )
    select id, status, v.kind, v.n, v.amount, v.want::int8 as want, strays
    from found cross join lateral (values
      ('purchase', purchase_n, purchase_amount, purchase_want), ('refund', refund_n, refund_amount, refund_want),
      ('hold', hold_n, hold_amount, hold_want), ('release', release_n, release_amount, release_want),
      ('rebate', rebate_n, rebate_amount, rebate_want)) as v(kind, n, amount, want)
    where v.n <> (case when v.want > 0 then 1 else 0 end) or v.amount <> v.want or strays > 0
    order by id, v.kind
    limit 50`;
  const problems: string[] = [];
  for (const row of rows) {
    if (row.n !== (row.want > 0 ? 1 : 0) || row.amount !== row.want) {
      problems.push(
        `receipt ${row.id} (${row.status}) has ${row.n} ${row.kind} moves of ${row.amount} points, ` +
          `expected ${row.want > 0 ? 1 : 0} of ${row.want}`,
      );
    }
  }
  const strays = new Map(rows.filter((row) => row.strays > 0).map((row) => [row.id, row.strays]));
  for (const [id, n] of strays) problems.push(`receipt ${id} has ${n} moves between others than its parties`);
  return problems;
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
