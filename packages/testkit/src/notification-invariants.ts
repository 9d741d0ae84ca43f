import type { Sql } from '@dutch/db';

/** Receipt statuses a settlement, close or refund tells the buyer about (REFUND_FAILED is no status). */
const NOTIFIED_STATUSES = ['PURCHASED', 'FAILED', 'OUTBID', 'WON', 'RESERVE_NOT_MET', 'REFUNDED'];

/**
 * What "each notification exactly once" means for the auctions of a test, beyond the unique
 * (member, dedupe key) index that makes a second copy impossible (checked anyway):
 * - every receipt in a notified status has exactly one receipt notification for that status, to its buyer;
 * - no receipt notification goes to anyone but the receipt's buyer;
 * - every rebated receipt has exactly one rebate notification, to its buyer;
 * - every closed auction has exactly one sold notification, to its seller.
 * A crash between a commit and its acknowledgement, or two consumers, must leave each at one.
 */
export async function checkNotifications(sql: Sql, auctionIds: readonly string[]): Promise<string[]> {
  const ids = [...auctionIds];
  const problems: string[] = [];
  const twice = await sql<{ memberId: string; dedupeKey: string; n: number }[]>`
    select member_id as "memberId", dedupe_key as "dedupeKey", count(*)::int as n
    from notifications where auction_id = any(${ids}::uuid[])
    group by member_id, dedupe_key having count(*) > 1 limit 10`;
  for (const row of twice) problems.push(`member ${row.memberId} has ${row.n} notifications ${row.dedupeKey}`);
  const receipts = await sql<{ id: string; status: string; n: number }[]>`
    select r.id, r.status, count(n.id)::int as n
    from receipts r join auctions a on a.id = r.auction_id
    left join notifications n on n.receipt_id = r.id and n.member_id = r.buyer_id and n.kind = 'receipt'
      and n.dedupe_key = 'receipt:' || r.id || ':' || r.status
    where r.auction_id = any(${ids}::uuid[]) and r.status = any(${NOTIFIED_STATUSES}::text[])
    group by r.id, r.status having count(n.id) <> 1 limit 10`;
  for (const row of receipts)
    problems.push(`receipt ${row.id} (${row.status}) has ${row.n} ${row.status} notifications`);
  const strangers = await sql<{ id: string; receiptId: string }[]>`
    select n.id::text as id, n.receipt_id as "receiptId" from notifications n join receipts r on r.id = n.receipt_id
    where n.auction_id = any(${ids}::uuid[]) and n.kind in ('receipt', 'rebate') and n.member_id <> r.buyer_id limit 10`;
  for (const row of strangers)
    problems.push(`notification ${row.id} about receipt ${row.receiptId} went to another member`);
  problems.push(...(await checkCloseNotifications(sql, ids)));
  return problems;
}

/** One rebate per rebated receipt, one sold per closed auction. */
async function checkCloseNotifications(sql: Sql, ids: string[]): Promise<string[]> {
  const problems: string[] = [];
  const rebates = await sql<{ id: string; n: number }[]>`
    select r.id, count(n.id)::int as n from receipts r
    left join notifications n on n.receipt_id = r.id and n.member_id = r.buyer_id and n.kind = 'rebate'
    where r.auction_id = any(${ids}::uuid[]) and r.rebate > 0
    group by r.id having count(n.id) <> 1 limit 10`;
  for (const row of rebates) problems.push(`rebated receipt ${row.id} has ${row.n} rebate notifications`);
  const sold = await sql<{ id: string; n: number }[]>`
    select a.id, count(n.id)::int as n from auctions a
    left join notifications n on n.auction_id = a.id and n.member_id = a.seller_id and n.kind = 'sold'
    where a.id = any(${ids}::uuid[]) and a.closed_at is not null
    group by a.id having count(n.id) <> 1 limit 10`;
  for (const row of sold) problems.push(`closed auction ${row.id} has ${row.n} sold notifications`);
  return problems;
}

/** How many notifications of each kind the auctions' members have: for drills' reports. */
export async function countNotifications(sql: Sql, auctionIds: readonly string[]): Promise<Record<string, number>> {
  const rows = await sql<{ kind: string; n: number }[]>`
    select kind, count(*)::int as n from notifications where auction_id = any(${[...auctionIds]}::uuid[])
    group by kind order by kind`;
  return Object.fromEntries(rows.map((row) => [row.kind, row.n]));
}
