import type { AuctionStatus } from '@dutch/domain';
import { and, gt, lte, type SQL, sql } from 'drizzle-orm';
import { auctions } from './schema.ts';

/**
 * The domain's statusAt() and priceAt() as SQL, so lists can filter, sort and page in the
 * database. They restate no pricing rule: a Dutch price is read from the price_steps the domain
 * computed, an English one is the high bid (the start price before the first leading bid).
 * auction-sql.test.ts checks both against the domain on generated auctions. English rows keep
 * stock 1, so the status SQL gives them scheduled / running / ended and never sold_out.
 */
const at = (asOf: number) => sql`${new Date(asOf).toISOString()}::timestamptz`;

/**
 * The step in force at asOf: 0 before the start, the last one after the end. Clamped before
 * the cast: an auction decades away has more one-second steps to it than an int holds.
 */
function stepAt(asOf: number): SQL {
  return sql`least(greatest(floor(extract(epoch from (${at(asOf)} - ${auctions.startsAt})) / ${auctions.dropIntervalSeconds}), 0),
                   cardinality(${auctions.priceSteps}) - 1)::int`;
}

/** The price at asOf: Dutch by the schedule; English the current high bid, whatever asOf. */
export function currentPriceAt(asOf: number): SQL<number> {
  return sql<number>`case when ${auctions.format} = 'english' then coalesce(${auctions.highBid}, ${auctions.startPrice})
    else (${auctions.priceSteps})[${stepAt(asOf)} + 1] end`;
}

export function statusAtSql(asOf: number): SQL<AuctionStatus> {
  return sql<AuctionStatus>`case when ${at(asOf)} < ${auctions.startsAt} then 'scheduled'
    when ${at(asOf)} >= ${auctions.endsAt} then 'ended'
    when ${auctions.stock} > 0 then 'running' else 'sold_out' end`;
}

/** A filter for one status at asOf, written as ranges on the indexed times. */
export function hasStatusAt(status: AuctionStatus, asOf: number): SQL {
  const inWindow = and(lte(auctions.startsAt, asOf), gt(auctions.endsAt, asOf)) as SQL;
  switch (status) {
    case 'scheduled':
      return gt(auctions.startsAt, asOf);
    case 'ended':
      return lte(auctions.endsAt, asOf);
    case 'running':
      return and(inWindow, gt(auctions.stock, 0)) as SQL;
    case 'sold_out':
      return and(inWindow, sql`${auctions.stock} = 0`) as SQL;
  }
}
