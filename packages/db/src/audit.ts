import { HELD_STATUSES } from '@dutch/domain';
import type postgres from 'postgres';
import type { Sql } from './client.ts';

/** Limits a check to the audited auctions (alias `a`). */
type Scope = postgres.Fragment;

/**
 * The engine's promises, checked against Postgres: what tests, benchmarks and fault drills
 * end with. Returns one line per broken promise; an empty list means all hold.
 */
export async function auditLedger(sql: Sql, options: { auctionIds?: readonly string[] } = {}): Promise<string[]> {
  const scope = options.auctionIds === undefined ? sql`true` : sql`a.id = any(${[...options.auctionIds]}::uuid[])`;
  // One query at a time, in this order, so the problem lines keep their order.
  return [
    ...(await checkStockHeld(sql, scope)),
    ...(await checkNoNegativePoints(sql)),
    ...(await checkBalancesMatchLedger(sql)),
    ...(await checkReferences(sql)),
    ...(await checkPointsConserved(sql)),
    ...(await checkReceiptMoves(sql, scope)),
    ...(await checkSettleOrder(sql, scope)),
  ];
}

/** Stock never goes negative or above the initial stock, and what left it is what buyers hold. */
async function checkStockHeld(sql: Sql, scope: Scope): Promise<string[]> {
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

async function checkNoNegativePoints(sql: Sql): Promise<string[]> {
  const negative = await sql<{ id: string; points: number }[]>`select id, points from members where points < 0`;
  return negative.map((row) => `member ${row.id} has ${row.points} points`);
}

/** Every balance is the sum of its ledger moves, and moves name only existing members. */
async function checkBalancesMatchLedger(sql: Sql): Promise<string[]> {
  const unbalanced = await sql<{ id: string; points: number; ledger: number }[]>`
    with moves as (
      select to_member as member, amount from points_ledger
      union all
      select from_member, -amount from points_ledger where from_member is not null
    ), sums as (select member, sum(amount) as ledger from moves group by member)
    select m.id, m.points, coalesce(s.ledger, 0) as ledger
    from members m full join sums s on s.member = m.id
    where m.id is null or m.points <> coalesce(s.ledger, 0)`;
  return unbalanced.map((row) =>
    row.id === null
      ? `ledger moves points of a member that does not exist`
      : `member ${row.id}: balance ${row.points}, ledger says ${row.ledger}`,
  );
}

// The hot tables carry no foreign keys (see schema.ts): check their references here. A bid
// answered 202 whose auction row is gone is still recorded, as FAILED/PROCESSING_FAILED: that
// row holds no stock and moves no points (the other checks still see to that).
async function checkReferences(sql: Sql): Promise<string[]> {
  const [dangling] = await sql<{ receipts: number; moves: number }[]>`
    select
      (select count(*)::int from receipts r
        where (not exists (select 1 from auctions a where a.id = r.auction_id)
               and (r.status <> 'FAILED' or r.failure_reason is distinct from 'PROCESSING_FAILED'))
           or not exists (select 1 from members m where m.id = r.buyer_id)
           or not exists (select 1 from members m where m.id = r.seller_id)) as receipts,
      (select count(*)::int from points_ledger l
        where (l.receipt_id is not null and not exists (select 1 from receipts r where r.id = l.receipt_id))
           or not exists (select 1 from members m where m.id = l.to_member)
           or (l.from_member is not null and not exists (select 1 from members m where m.id = l.from_member))) as moves`;
  if (dangling === undefined || !(dangling.receipts + dangling.moves > 0)) return [];
  return [`${dangling.receipts} receipts and ${dangling.moves} ledger rows point at rows that do not exist`];
}

/** Points only enter through charges, so all balances add up to what was charged. */
async function checkPointsConserved(sql: Sql): Promise<string[]> {
  const [totals] = await sql<{ points: number; charged: number }[]>`
    select (select coalesce(sum(points), 0) from members) as points,
           (select coalesce(sum(amount), 0) from points_ledger where kind = 'charge') as charged`;
  if (totals === undefined || totals.points === totals.charged) return [];
  return [`members hold ${totals.points} points in all, but ${totals.charged} were charged`];
}

/** Each receipt has exactly the purchase and refund moves its status calls for. */
async function checkReceiptMoves(sql: Sql, scope: Scope): Promise<string[]> {
  const moves = await sql<{ id: string; status: string; purchases: number; refunds: number }[]>`
    select r.id, r.status,
           count(*) filter (where l.kind = 'purchase')::int as purchases,
           count(*) filter (where l.kind = 'refund')::int as refunds
    from receipts r join auctions a on a.id = r.auction_id left join points_ledger l on l.receipt_id = r.id
    where ${scope}
    group by r.id, r.status
    having count(*) filter (where l.kind = 'purchase') <> (case when r.status = 'FAILED' then 0 else 1 end)
        or count(*) filter (where l.kind = 'refund') <> (case when r.status = 'REFUNDED' then 1 else 0 end)`;
  return moves.map(
    (row) => `receipt ${row.id} (${row.status}) has ${row.purchases} purchase and ${row.refunds} refund moves`,
  );
}

/** Receipts of an auction settle in stream order. */
async function checkSettleOrder(sql: Sql, scope: Scope): Promise<string[]> {
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
