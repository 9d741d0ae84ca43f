import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { auctions } from '../schema.ts';
import { isAuctionLive } from './not-deleted.ts';

/** An auction's whole row, or undefined when there is none or it was withdrawn (deleted). */
export async function findAuction(db: Db, id: string): Promise<typeof auctions.$inferSelect | undefined> {
  const [row] = await db
    .select()
    .from(auctions)
    .where(and(eq(auctions.id, id), isAuctionLive()));
  return row;
}
