import { bucketsOf, LEDGER_KINDS, type LedgerBucket, type LedgerKind } from '@dutch/domain';
import type { Sql } from './client.ts';

/** The kinds whose rows take from (or add to) a bucket, from the domain's one table of them. */
function kindsWhere(side: 'from' | 'to', bucket: LedgerBucket): LedgerKind[] {
  return LEDGER_KINDS.filter((kind) => bucketsOf(kind)[side] === bucket);
}

export async function checkNoNegativeBalances(sql: Sql): Promise<string[]> {
  const negative = await sql<{ id: string; points: number; held: number }[]>`
    select id, points, held_points as held from members where points < 0 or held_points < 0`;
  return negative.map((row) => `member ${row.id} has ${row.points} points and ${row.held} held`);
}

/**
 * Every balance is the sum of its ledger moves, bucket by bucket as the domain's bucketsOf()
 * says (a hold takes from points and adds to held, ...), and moves name only existing members.
 */
export async function checkBalancesMatchLedger(sql: Sql): Promise<string[]> {
  const [toPoints, toHeld] = [kindsWhere('to', 'points'), kindsWhere('to', 'held')];
  const [fromPoints, fromHeld] = [kindsWhere('from', 'points'), kindsWhere('from', 'held')];
  const unbalanced = await sql<
    { id: string | null; points: number; held: number; ledgerPoints: number; ledgerHeld: number }[]
  >`
    with moves as (
      select to_member as member,
             case when kind = any(${toPoints}::text[]) then amount else 0 end as points,
             case when kind = any(${toHeld}::text[]) then amount else 0 end as held
      from points_ledger
      union all
      select from_member,
             case when kind = any(${fromPoints}::text[]) then -amount else 0 end,
             case when kind = any(${fromHeld}::text[]) then -amount else 0 end
      from points_ledger where from_member is not null
    ), sums as (select member, sum(points) as points, sum(held) as held from moves group by member)
    select m.id, m.points, m.held_points as held,
           coalesce(s.points, 0)::int8 as "ledgerPoints", coalesce(s.held, 0)::int8 as "ledgerHeld"
    from members m full join sums s on s.member = m.id
    where m.id is null or m.points <> coalesce(s.points, 0) or m.held_points <> coalesce(s.held, 0)`;
  return unbalanced.map((row) =>
    row.id === null
      ? `ledger moves points of a member that does not exist`
      : `member ${row.id}: balance ${row.points} (held ${row.held}), ledger says ${row.ledgerPoints} (held ${row.ledgerHeld})`,
  );
}

// The hot tables carry no foreign keys (see schema.ts): check their references here. A bid
// answered 202 whose auction row is gone is still recorded, as FAILED/PROCESSING_FAILED: that
// row holds no stock and moves no points (the other checks still see to that).
export async function checkReferences(sql: Sql): Promise<string[]> {
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

/** Points only enter through charges, so all balances, free and held, add up to what was charged. */
export async function checkPointsConserved(sql: Sql): Promise<string[]> {
  const [totals] = await sql<{ points: number; charged: number }[]>`
    select (select coalesce(sum(points + held_points), 0) from members)::int8 as points,
           (select coalesce(sum(amount), 0) from points_ledger where kind = 'charge')::int8 as charged`;
  if (totals === undefined || totals.points === totals.charged) return [];
  return [`members hold ${totals.points} points in all (held included), but ${totals.charged} were charged`];
}
