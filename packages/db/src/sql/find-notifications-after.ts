import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { notifications } from '../schema.ts';
import { isSettledInOrder, NOTIFICATION_COLUMNS, type NotificationRow, placeTxOf } from './notification-columns.ts';

export interface NotificationsAfter {
  /** The member's notifications after the given one, in delivery order, at most the limit. */
  readonly items: NotificationRow[];
  /**
   * Committed notifications follow `items` that cannot be sent yet: a transaction older than
   * theirs is still running and may still store one that goes before them. Read again shortly
   * (they are sent once it ends); no nudge may come for them.
   */
  readonly heldBack: boolean;
}

/**
 * What a member's SSE stream sends after `afterId` (null: from the start), ascending in delivery
 * order (tx_id, id). Only the rows no running transaction can still precede are returned, so
 * "after the last one sent" never skips a row committed late with a smaller id: reading again
 * after the last item returns exactly what is new. An id that is not the member's reads from the
 * start.
 */
export async function findNotificationsAfter(
  db: Db,
  memberId: string,
  afterId: number | null,
  limit: number,
): Promise<NotificationsAfter> {
  const after =
    afterId === null
      ? sql`true`
      : sql`(${notifications.txId}, ${notifications.id}) > (${placeTxOf(memberId, afterId, 'first')}, ${afterId}::int8)`;
  // One snapshot for the rows and the horizon; one row past the limit tells a full batch from held rows.
  const rows = await db
    .select({ ...NOTIFICATION_COLUMNS, settled: isSettledInOrder })
    .from(notifications)
    .where(and(eq(notifications.memberId, memberId), after))
    .orderBy(asc(notifications.txId), asc(notifications.id))
    .limit(limit + 1);
  const items: NotificationRow[] = [];
  for (const { settled, ...row } of rows) {
    // Ordered by tx_id: after the first row not settled, none is.
    if (!settled) return { items, heldBack: true };
    if (items.length === limit) break;
    items.push(row);
  }
  return { items, heldBack: false };
}
