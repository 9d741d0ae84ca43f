import type { AuctionFormat } from '@dutch/domain';
import type { Sql } from '../client.ts';

/** An auction the closer should append a close for (what the domain's closeDueAt reads). */
export interface DueClose {
  readonly id: string;
  readonly format: AuctionFormat;
  readonly stock: number;
  /** Epoch ms. */
  readonly startsAt: number;
  /** The current end, epoch ms. */
  readonly endsAt: number;
}

/**
 * Auctions not closed nor withdrawn whose close is due at `now` (epoch ms), most overdue first:
 * a Dutch one sold out (stock 0, so started) at once, any other once its current end plus
 * `graceMs` has passed, as the domain's closeDueAt() says. The walk is on auctions_unclosed_idx,
 * which only holds open auctions; stock is deliberately not indexed (settlement's updates of it
 * stay HOT), so sold-out rows are found by filtering that walk.
 */
export function findDueCloses(sql: Sql, now: number, graceMs: number, limit: number) {
  return sql<DueClose[]>`
    select id, format, stock, (extract(epoch from starts_at) * 1000)::int8 as "startsAt",
           (extract(epoch from ends_at) * 1000)::int8 as "endsAt"
    from auctions
    where closed_at is null and deleted_at is null
      and (ends_at <= 'epoch'::timestamptz + ${now - graceMs}::int8 * interval '1 millisecond'
           or (format = 'dutch' and stock = 0 and starts_at <= 'epoch'::timestamptz + ${now}::int8 * interval '1 millisecond'))
    order by ends_at
    limit ${limit}`;
}
