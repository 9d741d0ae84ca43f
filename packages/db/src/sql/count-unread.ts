import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { notifications } from '../schema.ts';

/** How many of a member's notifications are unread (from the unread partial index alone). */
export async function countUnread(db: Db, memberId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.memberId, memberId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}
