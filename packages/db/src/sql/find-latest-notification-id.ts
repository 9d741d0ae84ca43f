import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { notifications } from '../schema.ts';
import { isSettledInOrder } from './notification-columns.ts';

/**
 * Where a member's SSE stream starts when the client sent no Last-Event-ID ("nothing old"): the
 * last notification in delivery order that no running transaction can precede, or null when
 * there is none (then read from the start: whatever comes is new). Rows held back at this moment
 * come after it, so they are sent as they settle.
 */
export async function findLatestNotificationId(db: Db, memberId: string): Promise<number | null> {
  const [row] = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.memberId, memberId), isSettledInOrder))
    .orderBy(desc(notifications.txId), desc(notifications.id))
    .limit(1);
  return row?.id ?? null;
}
