import type { AuctionFormat, Millis, ReceiptStatus } from '@dutch/domain';
import type { BoardRow } from '../api/types.ts';
import { formatPoints } from './format.ts';

/**
 * One row of an auction's bid history, as the page shows it. The source is the public board
 * (GET /auctions/:id/bids): every settled bid, for both formats, with a masked bidder and the
 * viewer's own rows marked. It replaced what the page could see without it (the feed's leading
 * bids since it opened, and the viewer's own receipts).
 */
export interface HistoryEntry {
  readonly position: number;
  readonly bidder: string;
  readonly at: Millis;
  readonly mine: boolean;
  /** As shown: an English lead the board still calls LEADING under a later lead was outbid. */
  readonly status: ReceiptStatus;
  /** English: the amount; Dutch: the unit price. */
  readonly amount: number | null;
  readonly words: string;
}

/** The words of a row's amount: "2 × 90 points", "90 points each" (stock hidden), "120 points". */
function describeAmount(row: BoardRow, format: AuctionFormat): string {
  if (format === 'english') return row.amount === undefined ? '' : `${formatPoints(row.amount)} points`;
  if (row.unitPrice === undefined) return '';
  const each = `${formatPoints(row.unitPrice)} points`;
  return row.quantity === undefined ? `${each} each` : `${row.quantity} × ${each}`;
}

/**
 * The board's rows as history entries, in settlement order. A live refresh reads only the last
 * page again, so an older English row may still say LEADING after a later lead: only the last
 * lead can be leading, and the rest were outbid.
 */
export function historyOfBoard(rows: readonly BoardRow[], format: AuctionFormat): HistoryEntry[] {
  let lastLead = -1;
  if (format === 'english') {
    for (const row of rows) if (row.status === 'LEADING' || row.status === 'WON') lastLead = row.position;
  }
  return rows.map((row) => ({
    position: row.position,
    bidder: row.bidder,
    at: Date.parse(row.acceptedAt),
    mine: row.mine,
    status: row.status === 'LEADING' && row.position < lastLead ? 'OUTBID' : row.status,
    amount: (format === 'english' ? row.amount : row.unitPrice) ?? null,
    words: describeAmount(row, format),
  }));
}

/** Where a settled bid stands: its place in the settlement order, which is the order bids arrived. */
export function describePosition(position: number, format: AuctionFormat): string {
  return format === 'english' ? `Bid #${position} in order` : `#${position} in line`;
}
