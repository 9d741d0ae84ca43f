import { and, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { notifications } from '../schema.ts';
import { NOTIFICATION_COLUMNS, type NotificationRow, placeTxOf } from './notification-columns.ts';

export interface NotificationPageRequest {
  /** Only unread ones. */
  readonly unread: boolean;
  /** Only notifications before this one (an id from an earlier page), newest first. */
  readonly beforeId: number | null;
  readonly limit: number;
}

/**
 * A member's inbox, newest first in delivery order (tx_id, id), keyset-paged on it: the member's
 * index, or its unread partial index. Every committed row is shown, however recent. Reads one
 * more than the limit: the caller tells from it whether a next page exists.
 */
export async function findNotificationPage(
  db: Db,
  memberId: string,
  request: NotificationPageRequest,
): Promise<NotificationRow[]> {
  const { beforeId } = request;
  const conditions: SQL[] = [eq(notifications.memberId, memberId) as SQL];
  if (request.unread) conditions.push(isNull(notifications.readAt) as SQL);
  if (beforeId !== null) {
    conditions.push(
      sql`(${notifications.txId}, ${notifications.id}) < (${placeTxOf(memberId, beforeId, 'last')}, ${beforeId}::int8)`,
    );
  }
  return db
    .select(NOTIFICATION_COLUMNS)
    .from(notifications)
    .where(and(...conditions))
    .orderBy(desc(notifications.txId), desc(notifications.id))
    .limit(request.limit + 1);
}
