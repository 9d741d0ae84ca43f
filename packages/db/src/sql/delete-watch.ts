import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { watches } from '../schema.ts';

/**
 * Stops watching. True when there was a watch to delete. Notifications already stored stay in
 * the inbox (they happened); the dedupe keys stay with them, so watching again does not repeat
 * an alert the member already had.
 */
export async function deleteWatch(db: Db, memberId: string, auctionId: string): Promise<boolean> {
  const deleted = await db
    .delete(watches)
    .where(and(eq(watches.memberId, memberId), eq(watches.auctionId, auctionId)))
    .returning({ auctionId: watches.auctionId });
  return deleted.length > 0;
}
