import type { Sql } from '@dutch/db';

/**
 * What closing promises beyond auditLedger's own checks (which already hold every hold, release,
 * rebate and WON purchase to its receipt, and every English lead and uniform price to its rules):
 * the auctions that must be closed by now are, and no receipt has any kind of move twice (a close
 * or a refund applied twice would show as a second rebate, release or purchase row).
 */
export async function checkCloses(
  sql: Sql,
  auctionIds: readonly string[],
  mustBeClosed: readonly string[],
): Promise<string[]> {
  const problems: string[] = [];
  const open = await sql<{ id: string }[]>`
    select id from auctions where id = any(${[...mustBeClosed]}::uuid[]) and closed_at is null order by id`;
  for (const { id } of open.slice(0, 10)) problems.push(`auction ${id} should be closed by now and is not`);
  if (open.length > 10) problems.push(`... and ${open.length - 10} more auctions not closed`);
  const twice = await sql<{ receiptId: string; kind: string; n: number }[]>`
    select l.receipt_id as "receiptId", l.kind, count(*)::int as n
    from points_ledger l join receipts r on r.id = l.receipt_id
    where r.auction_id = any(${[...auctionIds]}::uuid[])
    group by l.receipt_id, l.kind having count(*) > 1
    limit 10`;
  for (const row of twice) problems.push(`receipt ${row.receiptId} has ${row.n} ${row.kind} moves`);
  return problems;
}

/** Members hold (free + held) exactly what was charged: holds move points, they never make or lose any. */
export async function checkCharged(sql: Sql, charged: number): Promise<string[]> {
  const [row] = await sql<{ points: number; charged: number }[]>`
    select (select coalesce(sum(points + held_points), 0) from members)::int8 as points,
           (select coalesce(sum(amount), 0) from points_ledger where kind = 'charge')::int8 as charged`;
  if (row?.points === charged && row?.charged === charged) return [];
  return [
    `members hold ${row?.points} points (free + held), ledger charges ${row?.charged}, the test charged ${charged}`,
  ];
}
