import { reserveMet } from '@dutch/domain';
import type { Scope } from './audit-receipts.ts';
import type { Sql } from './client.ts';

/** What the English checks read of one auction, its receipts and their holds. */
interface EnglishFacts {
  readonly id: string;
  readonly closed: boolean;
  readonly highBid: number | null;
  readonly bidCount: number;
  readonly leaderId: string | null;
  readonly leadingReceiptId: string | null;
  readonly reservePrice: number | null;
  readonly winnerId: string | null;
  readonly finalPrice: number | null;
  /** Receipts that led (any status but FAILED), and the highest amount among them. */
  readonly led: number;
  readonly top: number | null;
  readonly leadingCount: number;
  /** The receipt the row names as leading: its auction, buyer, amount and status. */
  readonly leadAuction: string | null;
  readonly leadBuyer: string | null;
  readonly leadTotal: number | null;
  readonly leadStatus: string | null;
  /** Holds with no release, on this auction's receipts: how many, on which receipt, of how much. */
  readonly unreleased: number;
  readonly unreleasedReceipt: string | null;
  readonly unreleasedAmount: number | null;
}

const WON_STATUSES = ['WON', 'REFUND_PENDING', 'REFUNDED'];

/**
 * English auctions: the row's lead is its receipts' story (bid count = receipts that led, high
 * bid = the highest of them, the leading receipt is the leader's at the high bid). While open,
 * exactly the leading receipt's hold (of the high bid) is unreleased and it alone is LEADING;
 * once closed none is, and the result follows the reserve (the domain's reserveMet): the leading
 * receipt WON (winner = leader, final price = high bid) or RESERVE_NOT_MET.
 */
export async function checkEnglishLeads(sql: Sql, scope: Scope): Promise<string[]> {
  // English amounts are unit prices (int4): read as int, they compare as numbers on any client.
  const rows = await sql<EnglishFacts[]>`
    with led as (
      select r.auction_id, count(*) filter (where r.status <> 'FAILED')::int as led,
             max(r.total) filter (where r.status <> 'FAILED')::int as top,
             count(*) filter (where r.status = 'LEADING')::int as leading
      from receipts r join auctions a on a.id = r.auction_id
      where ${scope} and a.format = 'english'
      group by r.auction_id
    ), unreleased as (
      select r.auction_id, count(*)::int as n, min(h.receipt_id::text) as receipt, min(h.amount)::int as amount
      from points_ledger h join receipts r on r.id = h.receipt_id join auctions a on a.id = r.auction_id
      where ${scope} and a.format = 'english' and h.kind = 'hold'
        and not exists (select 1 from points_ledger x where x.receipt_id = h.receipt_id and x.kind = 'release')
      group by r.auction_id
    )
    select a.id, a.closed_at is not null as closed, a.high_bid as "highBid", a.bid_count as "bidCount",
           a.leader_id as "leaderId", a.leading_receipt_id as "leadingReceiptId", a.reserve_price as "reservePrice",
           a.winner_id as "winnerId", a.final_price as "finalPrice",
           coalesce(led.led, 0) as led, led.top, coalesce(led.leading, 0) as "leadingCount",
           lr.auction_id as "leadAuction", lr.buyer_id as "leadBuyer", lr.total::int as "leadTotal", lr.status as "leadStatus",
           coalesce(u.n, 0) as unreleased, u.receipt as "unreleasedReceipt", u.amount as "unreleasedAmount"
    from auctions a left join led on led.auction_id = a.id left join unreleased u on u.auction_id = a.id
      left join receipts lr on lr.id = a.leading_receipt_id
    where ${scope} and a.format = 'english'
    order by a.id`;
  return rows.flatMap((row) => englishProblems(row).map((problem) => `English auction ${row.id}: ${problem}`));
}

function englishProblems(a: EnglishFacts): string[] {
  const problems: string[] = [];
  if (a.bidCount !== a.led) problems.push(`bid count ${a.bidCount}, but ${a.led} receipts led`);
  if (a.highBid !== a.top) problems.push(`high bid ${a.highBid}, but the highest leading receipt is ${a.top}`);
  if (a.leadingReceiptId !== null) {
    if (a.leadAuction !== a.id || a.leadBuyer !== a.leaderId || a.leadTotal !== a.highBid) {
      problems.push(`leading receipt ${a.leadingReceiptId} is not the leader's bid of ${a.highBid} on it`);
    }
  }
  const holding = !a.closed && a.highBid !== null;
  if (a.leadingCount !== (holding ? 1 : 0) || (holding && a.leadStatus !== 'LEADING')) {
    problems.push(
      `${a.leadingCount} LEADING receipts ${a.closed ? 'after the close' : `with a high bid of ${a.highBid}`}`,
    );
  }
  const holdRight = holding
    ? a.unreleased === 1 && a.unreleasedReceipt === a.leadingReceiptId && a.unreleasedAmount === a.highBid
    : a.unreleased === 0;
  if (!holdRight) {
    problems.push(
      `${a.unreleased} unreleased holds (${a.unreleasedAmount} on ${a.unreleasedReceipt}), want ${holding ? 1 : 0}`,
    );
  }
  if (a.closed) problems.push(...closedEnglishProblems(a));
  else if (a.winnerId !== null || a.finalPrice !== null) problems.push('a winner before the close');
  return problems;
}

function closedEnglishProblems(a: EnglishFacts): string[] {
  if (a.highBid === null) {
    return a.winnerId === null && a.finalPrice === null ? [] : ['a winner without a leading bid'];
  }
  const won = a.leadStatus !== null && WON_STATUSES.includes(a.leadStatus);
  const wins = reserveMet({ reservePrice: a.reservePrice }, a.highBid);
  if (wins !== won || (!won && a.leadStatus !== 'RESERVE_NOT_MET')) {
    return [`closed with the leading receipt ${a.leadStatus}, though the reserve was ${wins ? '' : 'not '}met`];
  }
  const result = won ? [a.leaderId, a.highBid] : [null, null];
  if (a.winnerId !== result[0] || a.finalPrice !== result[1]) {
    return [
      `winner ${a.winnerId} at ${a.finalPrice}, but the lead was ${a.leaderId} at ${a.highBid} (${a.leadStatus})`,
    ];
  }
  return [];
}

/**
 * Final prices and rebates exist only on closed uniform auctions. There every receipt PURCHASED at
 * the close (the ones given a final price) is priced at the clearing price, which is the lowest
 * unit price among them (null when none), and no PURCHASED receipt was left out. (Each rebate row
 * matching its receipt's rebate is checkReceiptMoves'; the rebate matching the price, a table check's.)
 */
export async function checkUniformPrices(sql: Sql, scope: Scope): Promise<string[]> {
  const rows = await sql<
    {
      id: string;
      uniformClosed: boolean;
      clearingPrice: number | null;
      priced: number;
      lowest: number | null;
      offPrice: number;
      unpriced: number;
    }[]
  >`
    select a.id, a.closed_at is not null and a.pricing = 'uniform' as "uniformClosed", a.clearing_price as "clearingPrice",
           count(r.id) filter (where r.final_unit_price is not null or r.rebate > 0)::int as priced,
           min(r.unit_price) filter (where r.final_unit_price is not null) as lowest,
           count(r.id) filter (where r.final_unit_price is distinct from a.clearing_price
                                 and r.final_unit_price is not null)::int as "offPrice",
           count(r.id) filter (where r.status = 'PURCHASED' and r.final_unit_price is null)::int as unpriced
    from auctions a left join receipts r on r.auction_id = a.id
    where ${scope}
    group by a.id
    order by a.id`;
  return rows.flatMap((a) => {
    if (!a.uniformClosed) {
      if (a.priced === 0 && a.clearingPrice === null) return [];
      return [
        `auction ${a.id}: ${a.priced} receipts with a final price or rebate (clearing ${a.clearingPrice}), but no uniform close`,
      ];
    }
    if (a.clearingPrice === a.lowest && a.offPrice === 0 && a.unpriced === 0) return [];
    return [
      `auction ${a.id}: clearing price ${a.clearingPrice}, lowest price paid ${a.lowest}, ` +
        `${a.offPrice} receipts at another final price and ${a.unpriced} PURCHASED left unpriced`,
    ];
  });
}
