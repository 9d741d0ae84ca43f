import { type Db, findAuctionPage } from '@dutch/db';
import type { AuctionFormat, AuctionStatus } from '@dutch/domain';
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
  readonly format: AuctionFormat | undefined;
  readonly sort: AuctionSort;
  readonly limit: number;
  readonly cursor: string | undefined;
}

/**
 * A cursor pins the instant the first page was computed at, so a whole listing sorted by
 * price (which changes with time) is one consistent snapshot, and keyset paging on
 * (key, id) never skips or repeats an auction. An English auction's price moves by bids, not
 * time, so one outbid between two pages may move across the page boundary. Each field is checked for what the query does
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
  const rows = await findAuctionPage(db, {
    byPrice: request.sort.endsWith('currentPrice'),
    descending: request.sort.startsWith('-'),
    asOf,
    status: request.status,
    format: request.format,
    after: cursor,
    limit: request.limit,
  });

  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > request.limit && last !== undefined
      ? encodeCursor({ sort: request.sort, asOf, key: last.key, id: last.row.id })
      : null;
  return { rows: page.map((r) => r.row as AuctionRow), nextCursor };
}
