import type { NotificationData, NotificationKind } from '@dutch/domain';
import { type SQL, sql } from 'drizzle-orm';
import { notifications } from '../schema.ts';

/** A stored notification as the API shows it (the words come from describeNotification). */
export interface NotificationRow {
  /** The SSE event id (int8 read as a number; below 2^53). */
  readonly id: number;
  readonly kind: NotificationKind;
  readonly auctionId: string;
  readonly receiptId: string | null;
  readonly data: NotificationData;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms; null while unread. */
  readonly readAt: number | null;
}

export const NOTIFICATION_COLUMNS = {
  id: notifications.id,
  kind: notifications.kind,
  auctionId: notifications.auctionId,
  receiptId: notifications.receiptId,
  data: notifications.data,
  createdAt: notifications.createdAt,
  readAt: notifications.readAt,
};

/**
 * The transaction id half of a notification's place in the delivery order, (tx_id, id) (see the
 * notifications table for why ids alone are not an order), for one member's id. An id that is not
 * one of the member's (unknown, or another member's) has no place: it then stands before all of
 * the member's rows ('first') or after them ('last'), so a forged cursor reads from one end and
 * reveals nothing of other members' rows. A scalar subquery: Postgres runs it once, and the
 * comparison (tx_id, id) > (it, id) stays a range on the member's index.
 */
export function placeTxOf(memberId: string, id: number, missing: 'first' | 'last'): SQL {
  const end = missing === 'first' ? sql`'0'::xid8` : sql`'18446744073709551615'::xid8`;
  return sql`coalesce((select n.tx_id from ${notifications} n where n.id = ${id} and n.member_id = ${memberId}::uuid), ${end})`;
}

/**
 * Rows no transaction still running can precede in delivery order: those whose tx_id is below
 * every transaction in progress at this statement's snapshot, except transactions known to be in
 * another database (they cannot write this table; the xid space is the cluster's, so without
 * this a busy neighbour database would hold this one's rows back). A transaction that ended
 * since the snapshot can no longer be placed, so it still counts: it only holds rows back for a
 * moment. No transaction in progress: below the snapshot's xmax, i.e. every row it sees.
 */
export const isSettledInOrder: SQL<boolean> = sql<boolean>`${notifications.txId} < (
  select coalesce(min(running), pg_snapshot_xmax(pg_current_snapshot()))
  from pg_snapshot_xip(pg_current_snapshot()) as running
  where not exists (
    select 1 from pg_stat_activity a where a.backend_xid = xid(running) and a.datname <> current_database()))`;
