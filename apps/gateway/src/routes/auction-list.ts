import { auctions, currentPriceAt, type Db, hasStatusAt, isAuctionLive } from '@dutch/db';
import type { AuctionStatus } from '@dutch/domain';
import { and, asc, desc, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  cursorNumber,
  cursorPrice,
  decodeCursor,
  encodeCursor,
  invalidCursor,
  isIssuedInstant,
} from '../http/cursor.ts';
import type { AuctionRow } from '../views/auction-view.ts';

export type AuctionSort = 'startsAt' | '-startsAt' | 'currentPrice' | '-currentPrice';

export interface AuctionListRequest {
  readonly status: AuctionStatus | undefined;
  readonly sort: AuctionSort;
  readonly limit: number;
  readonly cursor: string | undefined;
}

/**
 * A cursor pins the instant the first page was computed at, so a whole listing sorted by
 * price (which changes with time) is one consistent snapshot, and keyset paging on
 * (key, id) never skips or repeats an auction. Each field is checked for what the query does
 * with it: the key is a price (int4) or an epoch-ms start (int8), asOf an instant a list issued.
 */
const Cursor = z.object({ sort: z.string(), asOf: cursorNumber, key: cursorNumber, id: z.uuid() });

function decodeListCursor(encoded: string, sort: AuctionSort, now: number): z.output<typeof Cursor> {
  const cursor = decodeCursor(encoded, Cursor);
  const keyFits = sort.endsWith('currentPrice') ? cursorPrice.safeParse(cursor.key).success : true;
  if (cursor.sort !== sort || !keyFits || !isIssuedInstant(cursor.asOf, now)) throw invalidCursor();
  return cursor;
}

export async function listAuctions(db: Db, request: AuctionListRequest, now: number) {
  const cursor = request.cursor === undefined ? null : decodeListCursor(request.cursor, request.sort, now);
  const asOf = cursor?.asOf ?? now;
  const descending = request.sort.startsWith('-');
  const key: SQL<number> = request.sort.endsWith('currentPrice')
    ? currentPriceAt(asOf)
    : sql<number>`(extract(epoch from ${auctions.startsAt}) * 1000)::int8`;

  const conditions: SQL[] = [isAuctionLive()];
  if (request.status !== undefined) conditions.push(hasStatusAt(request.status, asOf));
  if (cursor !== null) {
    conditions.push(
      descending
        ? sql`(${key}, ${auctions.id}) < (${cursor.key}, ${cursor.id}::uuid)`
        : sql`(${key}, ${auctions.id}) > (${cursor.key}, ${cursor.id}::uuid)`,
    );
  }
  const rows = await db
    .select({ row: auctions, key })
    .from(auctions)
    .where(and(...conditions))
    .orderBy(descending ? desc(key) : asc(key), descending ? desc(auctions.id) : asc(auctions.id))
    .limit(request.limit + 1);

  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > request.limit && last !== undefined
      ? encodeCursor({ sort: request.sort, asOf, key: Number(last.key), id: last.row.id })
      : null;
  return { rows: page.map((r) => r.row as AuctionRow), nextCursor };
}
